using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Shifts.ServiceDefaults.Network;

/// <summary>
/// Who may say where a request came from. <c>Network:TrustedProxies</c> (comma-separated addresses
/// and CIDRs, default loopback only) names the proxies whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed: for a service, the gateway (in compose and Kubernetes its
/// address is not fixed, so the network it runs in); for the gateway, an ingress in front of it,
/// when there is one. From anyone else the headers change nothing: the client is the connection's
/// peer, which is what rate limits count and what HSTS asks about. Runs first in every pipeline.
/// </summary>
public static class TrustedProxies
{
    public const string Loopback = "127.0.0.0/8,::1/128";

    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = builder.Configuration["Network:TrustedProxies"];
        var value = string.IsNullOrWhiteSpace(configured) ? Loopback : configured;
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(address);
            }
            else
            {
                ConfigurationProblems.Report(builder, $"Network:TrustedProxies: '{entry}' is neither an IP address nor a CIDR (e.g. 10.0.0.0/8).");
            }
        }

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            // Back through the chain while each hop is trusted (an ingress, then the gateway), and
            // no further: the first untrusted address is the client.
            options.ForwardLimit = null;
        });
        builder.Services.AddTransient<IStartupFilter, ForwardedHeadersFirst>();
        return builder;
    }

    /// <summary>Before every other middleware of the app, so nothing sees the address before it is right.</summary>
    private sealed class ForwardedHeadersFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }
}
