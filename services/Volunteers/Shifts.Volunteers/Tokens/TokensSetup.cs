using System.Globalization;
using System.Xml;
using Shifts.ServiceDefaults;

namespace Shifts.Volunteers.Tokens;

public static class TokensSetup
{
    /// <summary>
    /// Signing keys (loaded or generated after the migrations, before the server starts) and token
    /// issuing. <c>Auth:AccessTokenLifetime</c> is "08:00:00" or "PT8H"; <c>Auth:SigningKey</c> a PEM.
    /// </summary>
    public static IHostApplicationBuilder AddAccessTokens(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var lifetime = Duration(builder, "Auth:AccessTokenLifetime", TimeSpan.FromHours(8), TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        var refresh = Duration(builder, "Auth:KeyRefreshInterval", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        builder.Services.AddOptions<TokenSettings>().Configure(settings =>
        {
            settings.AccessTokenLifetime = lifetime;
            settings.KeyRefreshInterval = refresh;
            settings.SigningKey = configuration["Auth:SigningKey"];
        });
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
            ConfigurationProblems.Report(builder, $"{key} '{text}' is not a duration such as 08:00:00 or PT8H.");
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
