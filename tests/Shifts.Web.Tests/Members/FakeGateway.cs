using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Shifts.Web.Api;
using Shifts.Web.Session;

namespace Shifts.Web.Tests.Members;

/// <summary>
/// The gateway as a page sees it through <see cref="ShiftsApi"/>: canned JSON answers by path, and
/// the requests the page made, so a whole page renders in bUnit without servers.
/// </summary>
public sealed class FakeGateway : HttpMessageHandler
{
    private readonly Dictionary<string, (HttpStatusCode Status, string Json)> _answers = new(StringComparer.Ordinal);

    public List<string> Asked { get; } = [];

    /// <summary>Answers GETs of <paramref name="path"/> (without the query) with <paramref name="json"/>.</summary>
    public FakeGateway Answer(string path, string json, HttpStatusCode status = HttpStatusCode.OK)
    {
        _answers[path] = (status, json);
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        Asked.Add(uri.PathAndQuery);
        var (status, json) = _answers.TryGetValue(uri.AbsolutePath, out var answer)
            ? answer
            : (HttpStatusCode.NotFound, """{"code":"not-found"}""");
        var type = (int)status >= 400 ? "application/problem+json" : "application/json";
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, type) });
    }

    /// <summary>Registers the API, the organisation cache and a signed-in person (whose /api/me the gateway answers).</summary>
    public void Register(IServiceCollection services)
    {
        var context = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "Carla Brandt")], "test")),
            RequestServices = new ServiceCollection().AddSingleton<IAuthenticationService, NoTokens>().BuildServiceProvider(),
        };
        var accessor = new HttpContextAccessor { HttpContext = context };
        var api = new ShiftsApi(new HttpClient(this) { BaseAddress = new Uri("http://gateway/") }, accessor);
        services.AddSingleton(api);
        services.AddSingleton<IHttpContextAccessor>(accessor);
        services.AddSingleton<IMemoryCache>(new MemoryCache(new MemoryCacheOptions()));
        services.AddScoped<OrganisationNames>();
        services.AddScoped<CurrentPerson>();
    }

    /// <summary>The session has no access token in these tests.</summary>
    private sealed class NoTokens : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) => Task.FromResult(AuthenticateResult.NoResult());

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
    }
}
