using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Shifts.Client;

/// <summary>
/// The generated <see cref="ShiftsApiClient"/> (Kiota, from openapi.json) at a gateway's origin,
/// signed in with an access token (the document's <c>bearer</c> scheme) or anonymous.
/// </summary>
public sealed class ShiftsApi : IDisposable
{
    private readonly HttpClientRequestAdapter adapter;

    public ShiftsApi(Uri gateway, string? accessToken = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        IAuthenticationProvider authentication = accessToken is null
            ? new AnonymousAuthenticationProvider()
            : new BaseBearerTokenAuthenticationProvider(new FixedAccessToken(accessToken, gateway.Host));
        adapter = new HttpClientRequestAdapter(authentication) { BaseUrl = gateway.GetLeftPart(UriPartial.Authority) };
        Client = new ShiftsApiClient(adapter);
    }

    public ShiftsApiClient Client { get; }

    public void Dispose() => adapter.Dispose();

    /// <summary>One token, sent only to the gateway's host.</summary>
    private sealed class FixedAccessToken(string token, string host) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? token : string.Empty);
    }
}
