using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Shifts.Demo.Api;

/// <summary>
/// The SMTP sink's inbox (smtp4dev's HTTP API), where the demo people's login and confirmation links
/// arrive: the demo joins and logs in the way a person does, with the link from a mail.
/// </summary>
public sealed partial class MailInbox(HttpClient http)
{
    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>The ids of the mails to <paramref name="address"/> so far (to tell a new mail from old ones).</summary>
    public async Task<IReadOnlySet<string>> MailIdsAsync(string address, CancellationToken cancellationToken) =>
        (await MailsToAsync(address, cancellationToken)).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Waits until <paramref name="links"/> mails to <paramref name="address"/> that are not among
    /// <paramref name="before"/> carry a login link; answers the token of the newest (a person
    /// invited into two organisations gets two, and only a link issued after both knows both).
    /// </summary>
    public async Task<string> LoginTokenAsync(string address, IReadOnlySet<string> before, CancellationToken cancellationToken, int links = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var read = new HashSet<string>(before, StringComparer.Ordinal);
        var found = new List<(DateTimeOffset Received, string Token)>();
        while (DateTime.UtcNow < deadline)
        {
            foreach (var mail in (await MailsToAsync(address, cancellationToken)).Where(m => !read.Contains(m.Id)))
            {
                read.Add(mail.Id);
                var text = await GetAsync<string>($"api/messages/{mail.Id}/plaintext", cancellationToken, plain: true);
                var match = LoginLink().Match(text);
                if (match.Success)
                {
                    found.Add((mail.ReceivedDate, match.Groups[1].Value));
                }
            }

            if (found.Count >= links)
            {
                return found.MaxBy(f => f.Received).Token;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new DemoException($"no login link reached {address} at the inbox {BaseAddress} within 60 s (is the notifications service running?)");
    }

    /// <summary>
    /// Waits for a mail to <paramref name="address"/> not among <paramref name="before"/> that carries a
    /// link to confirm a membership (sign-ups and invitations mail one), and answers its token.
    /// </summary>
    public async Task<string> ConfirmationTokenAsync(string address, IReadOnlySet<string> before, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        var read = new HashSet<string>(before, StringComparer.Ordinal);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var mail in (await MailsToAsync(address, cancellationToken)).Where(m => !read.Contains(m.Id)).OrderByDescending(m => m.ReceivedDate))
            {
                read.Add(mail.Id);
                var match = ConfirmationLink().Match(await GetAsync<string>($"api/messages/{mail.Id}/plaintext", cancellationToken, plain: true));
                if (match.Success)
                {
                    return match.Groups[1].Value;
                }
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new DemoException($"no confirmation link reached {address} at the inbox {BaseAddress} within 120 s (is the notifications service running?)");
    }

    private async Task<List<Mail>> MailsToAsync(string address, CancellationToken cancellationToken)
    {
        var page = await GetAsync<JsonElement>($"api/messages?searchTerms={Uri.EscapeDataString(address)}&pageSize=500", cancellationToken);
        var items = page.ValueKind == JsonValueKind.Array ? page : page.GetProperty("results");
        return (items.Deserialize<List<Mail>>(GatewayClient.Json) ?? [])
            .Where(m => m.To.Any(to => to.Contains(address, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken, bool plain = false)
    {
        try
        {
            return plain
                ? (T)(object)await http.GetStringAsync(path, cancellationToken)
                : (await http.GetFromJsonAsync<T>(path, GatewayClient.Json, cancellationToken))!;
        }
        catch (HttpRequestException ex)
        {
            throw new DemoException($"the inbox {BaseAddress} did not answer: {ex.Message} (is smtp4dev running?)");
        }
    }

    [GeneratedRegex(@"login\?token=([A-Za-z0-9_\-]+)")]
    private static partial Regex LoginLink();

    [GeneratedRegex(@"join/confirm\?token=([A-Za-z0-9_\-]+)")]
    private static partial Regex ConfirmationLink();

    private sealed record Mail(string Id, List<string> To, DateTimeOffset ReceivedDate);
}
