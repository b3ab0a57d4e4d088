using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shifts.ServiceDefaults.Json;

/// <summary>
/// What no text of the API may hold: NUL (PostgreSQL refuses it in text, so it would surface as a
/// 500) and unpaired UTF-16 surrogates (JSON's "\ud800": not a character; it cannot be stored or
/// sent on as UTF-8). Checked where the text enters: JSON strings here, query strings and route
/// values in <see cref="Problems.StrictRequests"/>.
/// </summary>
public static class StrictText
{
    public const string Rule = "must not contain NUL characters or unpaired UTF-16 surrogates";

    public static bool IsClean(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The current string token as text, or a <see cref="JsonException"/> (a 400 naming the field):
    /// System.Text.Json itself throws InvalidOperationException for an escaped lone surrogate.
    /// </summary>
    internal static string Read(ref Utf8JsonReader reader)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new StrictTextException();
        }

        return IsClean(text) ? text : throw new StrictTextException();
    }
}

/// <summary>A JSON string that breaks <see cref="StrictText"/>; ExceptionToProblem says so for the field.</summary>
public sealed class StrictTextException : JsonException
{
    public StrictTextException()
        : base($"The text {StrictText.Rule}.")
    {
    }

    public StrictTextException(string message)
        : base(message)
    {
    }

    public StrictTextException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Every string read from a request body passes <see cref="StrictText"/>.</summary>
public sealed class StrictStringConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? StrictText.Read(ref reader) : throw new JsonException("A text must be a JSON string.");

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => StrictText.Read(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value);
    }
}

/// <summary>
/// Raw JSON parts of a request (fields where absent and null differ, read as <see cref="JsonElement"/>)
/// pass <see cref="StrictText"/> too: every string and member name in them is checked as it is read.
/// </summary>
public sealed class StrictJsonElementConverter : JsonConverter<JsonElement>
{
    public override bool HandleNull => true;

    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        Check(element);
        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        value.WriteTo(writer);
    }

    private static void Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                CheckText(element, static e => e.GetString());
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Check(item);
                }

                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = member.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        throw new StrictTextException();
                    }

                    if (!StrictText.IsClean(name))
                    {
                        throw new StrictTextException();
                    }

                    Check(member.Value);
                }

                break;
        }
    }

    private static void CheckText(JsonElement element, Func<JsonElement, string?> read)
    {
        string? text;
        try
        {
            text = read(element);
        }
        catch (InvalidOperationException)
        {
            throw new StrictTextException();
        }

        if (text is not null && !StrictText.IsClean(text))
        {
            throw new StrictTextException();
        }
    }
}
