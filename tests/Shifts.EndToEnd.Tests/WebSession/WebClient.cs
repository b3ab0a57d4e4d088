using System.Net;
using System.Text.RegularExpressions;

namespace Shifts.EndToEnd.Tests.WebSession;

/// <summary>A cookie as the web app set it, with the attributes a browser would act on.</summary>
public sealed record SetCookie(string Name, string Value, string? Path, string? Domain, bool Secure, bool HttpOnly, string? SameSite, DateTimeOffset? Expires)
{
    public bool IsDeletion => Value.Length == 0 || Expires < DateTimeOffset.UtcNow;

    public static SetCookie Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var parts = header.Split(';', StringSplitOptions.TrimEntries);
        var eq = parts[0].IndexOf('=', StringComparison.Ordinal);
        string? path = null, domain = null, sameSite = null;
        DateTimeOffset? expires = null;
        bool secure = false, httpOnly = false;
        foreach (var attribute in parts.Skip(1))
        {
            var (key, value) = attribute.IndexOf('=', StringComparison.Ordinal) is var i and >= 0 ? (attribute[..i], attribute[(i + 1)..]) : (attribute, "");
            switch (key.ToLowerInvariant())
            {
                case "path": path = value; break;
                case "domain": domain = value; break;
                case "samesite": sameSite = value; break;
                case "secure": secure = true; break;
                case "httponly": httpOnly = true; break;
                case "expires" when DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at): expires = at; break;
                case "max-age" when int.TryParse(value, out var seconds): expires = DateTimeOffset.UtcNow.AddSeconds(seconds); break;
            }
        }

        return new SetCookie(parts[0][..eq], parts[0][(eq + 1)..], path, domain, secure, httpOnly, sameSite, expires);
    }
}

/// <summary>A page as the web app answered it: status, where it redirects, the HTML and the cookies it set.</summary>
public sealed partial record WebAnswer(HttpStatusCode Status, string? Location, string Html, IReadOnlyList<SetCookie> SetCookies)
{
    /// <summary>The footer offers to log out: the page was rendered for a signed-in person.</summary>
    public bool SignedIn => Html.Contains("action=\"/logout\"", StringComparison.Ordinal);

    public SetCookie? Cookie(string name) => SetCookies.LastOrDefault(c => c.Name == name);

    /// <summary>
    /// A form of the page, as a browser would send it: its hidden fields (the antiforgery token and,
    /// for a Blazor form, <c>_handler</c>) and its action. <paramref name="which"/> is the Blazor form
    /// name (<c>_handler</c>) or the action (e.g. "/logout").
    /// </summary>
    public HtmlForm Form(string which)
    {
        foreach (Match form in FormPattern().Matches(Html))
        {
            var action = AttributePattern("action").Match(form.Groups[1].Value) is { Success: true } a ? WebUtility.HtmlDecode(a.Groups[1].Value) : null;
            var fields = new List<KeyValuePair<string, string>>();
            foreach (Match input in InputPattern().Matches(form.Groups[2].Value))
            {
                var tag = input.Value;
                if (AttributePattern("type").Match(tag) is { Success: true } type && type.Groups[1].Value == "hidden"
                    && AttributePattern("name").Match(tag) is { Success: true } name)
                {
                    var value = AttributePattern("value").Match(tag) is { Success: true } v ? v.Groups[1].Value : "";
                    fields.Add(new(WebUtility.HtmlDecode(name.Groups[1].Value), WebUtility.HtmlDecode(value)));
                }
            }

            if (action == which || fields.Any(f => f.Key == "_handler" && f.Value == which))
            {
                return new HtmlForm(action, fields);
            }
        }

        Assert.Fail($"no form '{which}' on the page:\n{Html}");
        return null!;
    }

    [GeneratedRegex(@"<form\b([^>]*)>(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.Singleline)]
    private static partial Regex InputPattern();

    private static Regex AttributePattern(string name) => new($@"\b{name}=""([^""]*)""");
}

/// <summary>A form's action (null: the page's own address) and its hidden fields.</summary>
public sealed record HtmlForm(string? Action, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public string? Token => Fields.FirstOrDefault(f => f.Key == "__RequestVerificationToken").Value;

    public HtmlForm With(string name, string value) => this with { Fields = [.. Fields.Where(f => f.Key != name), new(name, value)] };

    public HtmlForm Without(string name) => this with { Fields = [.. Fields.Where(f => f.Key != name)] };
}

/// <summary>
/// A browser reduced to what the session needs: one cookie jar, no redirects followed, and
/// optionally the <c>X-Forwarded-Proto: https</c> an ingress ending TLS sends to the gateway (which
/// trusts loopback proxies and forwards the scheme to the web app). Secure cookies are kept and sent
/// back as a browser on HTTPS would, though the test talks plain HTTP on loopback.
/// </summary>
public sealed class WebClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _https;

    public WebClient(Uri address, bool https = false)
    {
        _http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };
        _https = https;
    }

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>A second browser that holds copies of this one's cookies (another tab, or a stolen cookie).</summary>
    public WebClient Copy(Uri? address = null)
    {
        var copy = new WebClient(address ?? _http.BaseAddress!, _https);
        foreach (var (name, value) in Cookies)
        {
            copy.Cookies[name] = value;
        }

        return copy;
    }

    public Task<WebAnswer> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>Posts the form as a browser would: to its action, or back to <paramref name="page"/>.</summary>
    public Task<WebAnswer> SubmitAsync(string page, HtmlForm form, params (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(form);
        IEnumerable<KeyValuePair<string, string>> body = form.Fields;
        foreach (var (name, value) in fields)
        {
            body = body.Where(f => f.Key != name).Append(new(name, value));
        }

        return SendAsync(new HttpRequestMessage(HttpMethod.Post, form.Action ?? page) { Content = new FormUrlEncodedContent(body) });
    }

    public async Task<WebAnswer> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        {
            if (_https)
            {
                request.Headers.Add("X-Forwarded-Proto", "https");
            }

            if (Cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            using var response = await _http.SendAsync(request);
            var set = response.Headers.TryGetValues("Set-Cookie", out var headers) ? headers.Select(SetCookie.Parse).ToList() : [];
            foreach (var cookie in set)
            {
                if (cookie.IsDeletion)
                {
                    Cookies.Remove(cookie.Name);
                }
                else
                {
                    Cookies[cookie.Name] = cookie.Value;
                }
            }

            return new WebAnswer(response.StatusCode, response.Headers.Location?.OriginalString, await response.Content.ReadAsStringAsync(), set);
        }
    }

    /// <summary>
    /// Logs in through the pages: the login-link form on /login, the link from smtp4dev, the "log in
    /// now" form. Returns the answer to the button (a redirect to /shifts that sets the session cookie).
    /// </summary>
    public async Task<WebAnswer> LogInAsync(ShiftsSystem system, string email)
    {
        ArgumentNullException.ThrowIfNull(system);
        var before = (await system.Inbox.MailsToAsync(email)).Select(m => m.Id).ToHashSet();
        var login = await GetAsync("/login");
        var sent = await SubmitAsync("/login", login.Form("login-link"), ("Email", email));
        Assert.True(sent.Status == HttpStatusCode.OK && sent.Html.Contains("role=\"status\"", StringComparison.Ordinal), $"asking for a link answered {(int)sent.Status}: {sent.Html}");
        var token = await system.ReadLoginTokenAsync(email, before);
        var link = $"/login?token={token}";
        var opened = await GetAsync(link);
        var answer = await SubmitAsync(link, opened.Form("login"));
        Assert.True(answer.Status == HttpStatusCode.Redirect && IsHere(answer.Location, "/shifts"), $"the login button answered {(int)answer.Status} to {answer.Location}: {answer.Html}");
        return answer;
    }

    /// <summary>
    /// Whether a redirect goes to <paramref name="path"/> on the host this client talks to (relative,
    /// or absolute with this host and the scheme the browser used), not to an address behind the gateway.
    /// </summary>
    public bool IsHere(string? location, string path)
    {
        if (location is null)
        {
            return false;
        }

        var target = new Uri(_http.BaseAddress!, location);
        return target.Authority == _http.BaseAddress!.Authority && target.PathAndQuery == path
            && (!Uri.IsWellFormedUriString(location, UriKind.Absolute) || target.Scheme == (_https ? "https" : "http"));
    }

    public void Dispose() => _http.Dispose();
}
