using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shifts.ServiceDefaults.Json;

/// <summary>
/// Enum values as their kebab-case names ("info-stand"), read exactly: System.Text.Json's own
/// JsonStringEnumConverter falls back to a case-insensitive match ("InfoStand", "INFO-STAND") and
/// the API promises one spelling. Numbers are refused too.
/// </summary>
public sealed class ExactEnumConverterFactory(JsonNamingPolicy namingPolicy) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return typeToConvert.IsEnum;
    }

    /// <summary>The names a client may send.</summary>
    public static IEnumerable<string> NamesOf(Type enumType, JsonNamingPolicy namingPolicy)
    {
        ArgumentNullException.ThrowIfNull(namingPolicy);
        return Enum.GetNames(enumType).Select(namingPolicy.ConvertName).Distinct(StringComparer.Ordinal);
    }

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The services are not compiled ahead of time.")]
    [UnconditionalSuppressMessage("Trimming", "IL2071", Justification = "The services are not trimmed.")]
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ExactEnumConverter<>).MakeGenericType(typeToConvert), namingPolicy)!;
}

public sealed class ExactEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    private readonly Dictionary<string, T> _byName;
    private readonly Dictionary<T, string> _names;

    public ExactEnumConverter(JsonNamingPolicy namingPolicy)
    {
        ArgumentNullException.ThrowIfNull(namingPolicy);
        _names = Enum.GetValues<T>().Distinct().ToDictionary(v => v, v => namingPolicy.ConvertName(v.ToString()));
        _byName = _names.ToDictionary(e => e.Value, e => e.Key, StringComparer.Ordinal);
    }

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && _byName.TryGetValue(StrictText.Read(ref reader), out var value))
        {
            return value;
        }

        throw new JsonException($"The value must be one of: {string.Join(", ", _byName.Keys)}.");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(_names.TryGetValue(value, out var name) ? name : value.ToString());
    }

    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        _byName.TryGetValue(StrictText.Read(ref reader), out var value) ? value : throw new JsonException($"The key must be one of: {string.Join(", ", _byName.Keys)}.");

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(_names.TryGetValue(value, out var name) ? name : value.ToString());
    }
}
