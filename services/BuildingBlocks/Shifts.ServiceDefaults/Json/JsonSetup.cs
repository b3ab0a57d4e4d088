using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Shifts.ServiceDefaults.Json;

internal static class JsonSetup
{
    /// <summary>The API's JSON (API.md): camelCase, kebab-case enum values (unknown ones are a 400), strict instants, ISO durations.</summary>
    public static IServiceCollection AddShiftsJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new StrictInstantConverter());
        options.Converters.Add(new IsoDurationConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }
}
