using System.Globalization;
using System.Xml;
using Shifts.ServiceDefaults;

namespace Shifts.Volunteers.Tokens;

public static class TokensSetup
{
    /// <summary>
    /// Signing keys (loaded or generated after the migrations, before the server starts), token
    /// issuing and the lifetimes of sessions. Durations are "00:10:00" or "PT10M":
    /// <c>Auth:AccessTokenLifetime</c> (default 10 minutes), <c>Auth:RefreshTokenLifetime</c>
    /// (30 days, renewed by every refresh), <c>Auth:SessionLifetime</c> (90 days from the login,
    /// absolute) and <c>Auth:RefreshReuseGrace</c> (30 s); <c>Auth:SigningKey</c> is a PEM.
    /// </summary>
    public static IHostApplicationBuilder AddAccessTokens(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var lifetime = Duration(builder, "Auth:AccessTokenLifetime", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        var refreshToken = Duration(builder, "Auth:RefreshTokenLifetime", TimeSpan.FromDays(30), TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));
        var session = Duration(builder, "Auth:SessionLifetime", TimeSpan.FromDays(90), TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));
        var grace = Duration(builder, "Auth:RefreshReuseGrace", TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromMinutes(5));
        var refresh = Duration(builder, "Auth:KeyRefreshInterval", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        if (lifetime > refreshToken)
        {
            ConfigurationProblems.Report(builder, $"Auth:AccessTokenLifetime ({lifetime}) must not be longer than Auth:RefreshTokenLifetime ({refreshToken}).");
        }

        builder.Services.AddOptions<TokenSettings>().Configure(settings =>
        {
            settings.AccessTokenLifetime = lifetime;
            settings.RefreshTokenLifetime = refreshToken;
            settings.SessionLifetime = session;
            settings.RefreshReuseGrace = grace;
            settings.KeyRefreshInterval = refresh;
            settings.SigningKey = configuration["Auth:SigningKey"];
        })
            .Validate(settings => settings.AccessTokenLifetime <= settings.RefreshTokenLifetime,
                "Auth:AccessTokenLifetime must not be longer than Auth:RefreshTokenLifetime.")
            .Validate(settings => settings.RefreshReuseGrace >= TimeSpan.Zero && settings.RefreshReuseGrace < settings.RefreshTokenLifetime,
                "Auth:RefreshReuseGrace must be at least zero and shorter than Auth:RefreshTokenLifetime.")
            .Validate(settings => settings.KeyRefreshInterval > TimeSpan.Zero, "Auth:KeyRefreshInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SigningKeys>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SigningKeys>());
        builder.Services.AddSingleton<AccessTokens>();
        return builder;
    }

    private static TimeSpan Duration(IHostApplicationBuilder builder, string key, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var text = builder.Configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        TimeSpan value;
        try
        {
            value = text.StartsWith('P') ? XmlConvert.ToTimeSpan(text) : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            ConfigurationProblems.Report(builder, $"{key} '{text}' is not a duration such as 00:10:00 or PT10M.");
            return fallback;
        }

        if (value < min || value > max)
        {
            ConfigurationProblems.Report(builder, $"{key} must be between {min} and {max}, not {value}.");
            return fallback;
        }

        return value;
    }
}
