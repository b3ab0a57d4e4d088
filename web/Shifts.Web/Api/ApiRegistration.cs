using Microsoft.Extensions.Http.Resilience;
using Shifts.ServiceDefaults;

namespace Shifts.Web.Api;

public static class ApiRegistration
{
    /// <summary>
    /// The typed client for the gateway (<c>Web:GatewayAddress</c>). The standard resilience handler
    /// times out and breaks the circuit like every client here, but retries only GET, HEAD and the
    /// like: a claim or a form post the gateway may already have carried out is not sent twice
    /// (claims also carry an Idempotency-Key).
    /// </summary>
    public static void AddShiftsApi(this IHostApplicationBuilder builder)
    {
        var value = builder.Configuration["Web:GatewayAddress"];
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var gateway))
        {
            throw new StartupException("Web:GatewayAddress must be the gateway's address as the web app reaches it (environment variable Web__GatewayAddress, e.g. http://127.0.0.1:8080).");
        }

        var baseAddress = new Uri(gateway.ToString().TrimEnd('/') + "/");
        builder.Services.AddHttpClient<ShiftsApi>(http => http.BaseAddress = baseAddress);
        // The handler every client gets (ConfigureHttpClientDefaults in ServiceDefaults) is added
        // before a client has a name, so its options are named "-standard"; this app's only client is this one.
        builder.Services.Configure<HttpStandardResilienceOptions>("-standard", options => options.Retry.DisableForUnsafeHttpMethods());
        builder.Services.AddScoped<OrganisationNames>();
    }
}
