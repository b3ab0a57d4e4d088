namespace Shifts.Volunteers.Login;

public static class LoginSetup
{
    /// <summary>
    /// The background work of passwordless login: requests for a link are answered first and
    /// issued after (<see cref="LoginLinkQueue"/>, <see cref="LoginLinkIssuer"/>), and what login no
    /// longer needs is forgotten every few minutes (<see cref="LoginHousekeeping"/>). Needs <see cref="RateLimitsSetup.AddLoginRateLimits"/>.
    /// </summary>
    public static IHostApplicationBuilder AddLoginLinks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<LoginHousekeeping>();
        builder.Services.AddSingleton<LoginLinkQueue>();
        builder.Services.AddHostedService<LoginLinkIssuer>();
        return builder;
    }
}
