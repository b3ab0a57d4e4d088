using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Shifts.ServiceDefaults.Network;

/// <summary>No <c>Server: Kestrel</c> on any answer: it tells an attacker what to try and nobody else anything.</summary>
public static class ServerHeader
{
    public static IHostApplicationBuilder AddNoServerHeader(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<KestrelServerOptions>(options => options.AddServerHeader = false);
        return builder;
    }
}
