using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Shifts.ServiceDefaults.Json;

internal static class JsonSetup
{
    /// <summary>
    /// The API's JSON (docs/api.md): camelCase, kebab-case enum values matched exactly (anything else is
    /// a 400), strict instants, ISO durations; numbers must be JSON numbers, members the request
    /// type does not have are a 400 naming them, and no text may hold NUL or an unpaired surrogate.
    /// </summary>
    public static IServiceCollection AddShiftsJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));

    public static readonly JsonNamingPolicy EnumNaming = JsonNamingPolicy.KebabCaseLower;

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // JsonSerializerDefaults.Web reads "5" as 5: a client that sends numbers as strings has a
        // bug we would hide (and "capacity": "5" would differ from what the OpenAPI document says).
        options.NumberHandling = JsonNumberHandling.Strict;
        // A member the request type lacks is a mistake (a typo, or a field the caller thinks
        // decides something, like "volunteerId" in a claim); ignoring it silently does what the
        // caller did not ask for. ExceptionToProblem names the member.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new ExactEnumConverterFactory(EnumNaming));
        options.Converters.Add(new StrictInstantConverter());
        options.Converters.Add(new IsoDurationConverter());
        options.Converters.Add(new StrictStringConverter());
        options.Converters.Add(new StrictJsonElementConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }
}
