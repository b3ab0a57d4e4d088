using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace Shifts.ServiceDefaults.Json;

/// <summary>
/// Instants in: ISO 8601 with an offset ("2026-06-13T10:00:00+02:00" or "...Z"). A time without an
/// offset is ambiguous (whose 10 o'clock?) and is refused, which becomes a 400 naming the field.
/// Instants out: as given (services convert to the organisation's offset before answering).
/// </summary>
public sealed class StrictInstantConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("An instant must be a string.");
        }

        var text = reader.GetString()!;
        return Instants.TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' is not an ISO 8601 instant with an offset, e.g. 2026-06-13T10:00:00+02:00.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString(value.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
    }
}

public static class Instants
{
    /// <summary>An ISO 8601 instant with an offset ("...Z" or "...+02:00"); nothing else.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // In a query string an unencoded '+' arrives as a space: "10:00:00 02:00" means "+02:00".
        if (text.Length > 6 && text[^6] == ' ' && text[^3] == ':')
        {
            text = string.Concat(text.AsSpan(0, text.Length - 6), "+", text.AsSpan(text.Length - 5));
        }

        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasOffset && DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"],
            CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }
}

/// <summary>Durations as ISO 8601 ("PT24H", "P1D"), in and out.</summary>
public sealed class IsoDurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("A duration must be an ISO 8601 string such as PT24H.");
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            throw new JsonException($"'{text}' is not an ISO 8601 duration such as PT24H.");
        }
        catch (OverflowException)
        {
            throw new JsonException($"'{text}' is out of range.");
        }
    }

    /// <summary>Written in hours, minutes and seconds ("PT24H", "PT1H30M") like the API's examples; days are not all 24 hours long.</summary>
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "PT0S";
        }

        var sign = value < TimeSpan.Zero ? "-" : "";
        value = value.Duration();
        var text = new System.Text.StringBuilder(sign + "PT");
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}H");
        }

        if (value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}M");
        }

        var seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        if (seconds > 0)
        {
            text.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('S');
        }

        return text.ToString();
    }
}
