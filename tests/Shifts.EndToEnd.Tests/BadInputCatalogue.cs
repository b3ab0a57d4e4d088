using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Shifts.EndToEnd.Tests;

/// <summary>One operation of a service's OpenAPI document.</summary>
public sealed record BadInputOperation(string Service, string Method, string Path, JsonElement Spec, JsonElement Document)
{
    public bool HasBody => Spec.TryGetProperty("requestBody", out _);

    /// <summary>Erasure ends the caller: its cases run last, each as a fresh stand-in.</summary>
    public bool EndsCaller => Method == "DELETE" && Path == "/api/me";

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>One hostile request: where the hostile value sits, what it is, and the request itself.</summary>
public sealed record BadInputCase(BadInputOperation Operation, string Where, string Label, string Target, byte[]? Body, string? ContentType, bool KestrelRejects = false, (string Name, string Value)? Header = null)
{
    public HttpRequestMessage Request()
    {
        var request = new HttpRequestMessage(new HttpMethod(Operation.Method), Target);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }
        }

        if (Header is { } header)
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        return request;
    }

    /// <summary>
    /// Input no endpoint may accept, whatever the field: text with NUL or a lone surrogate, a member the request does not have.
    /// A URL cannot carry a lone surrogate to an endpoint (its percent-encoded bytes are not UTF-8, and decode
    /// to U+FFFD or stay encoded), nor can a path carry a NUL (Kestrel refuses %00): those only must not fail.
    /// </summary>
    public bool MustBeRefused => Where.StartsWith("body", StringComparison.Ordinal)
        ? Label.Contains("NUL", StringComparison.Ordinal) || Label.Contains("surrogate", StringComparison.Ordinal) || Label.Contains("unknown member", StringComparison.Ordinal)
        : Where.StartsWith("query", StringComparison.Ordinal) && Label.Contains("NUL", StringComparison.Ordinal);

    public override string ToString() => $"{Operation} [{Where} = {Label}]";
}

/// <summary>
/// The hostile values, per kind of input, and how they are put into requests. The classes come from
/// issue 12 and the events issue: NUL, lone surrogates, over-long text, numbers as strings, huge,
/// negative and fractional numbers, wrong types, unknown and wrong-case enum values, unknown members,
/// arrays where objects go, deep nesting, malformed JSON, empty bodies, invalid GUIDs, dates and
/// durations, non-canonical base64url tokens, very long paths.
/// </summary>
public static partial class BadInputCatalogue
{
    private const string Slot = "__BAD_INPUT_SLOT__";
    private const int LongText = 100 * 1024;

    /// <summary>Every operation of one document, with its path as the document writes it.</summary>
    public static IEnumerable<BadInputOperation> Operations(string service, JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Name is "get" or "post" or "put" or "patch" or "delete")
                {
                    yield return new BadInputOperation(service, operation.Name.ToUpperInvariant(), path.Name, operation.Value, document);
                }
            }
        }
    }

    /// <summary>Route pattern as ASP.NET writes it ("/api/events/{eventId:guid}", "/api/me/") in the document's form.</summary>
    public static string NormalisePattern(string pattern)
    {
        var path = RouteConstraint().Replace(pattern, "{$1}");
        path = "/" + path.Trim('/');
        return path;
    }

    /// <summary>What the suite could not read of an operation's description (a parameter location or body type it does not know).</summary>
    public static IEnumerable<string> Unsupported(BadInputOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        foreach (var parameter in Parameters(operation))
        {
            var location = parameter.GetProperty("in").GetString();
            if (location is not ("path" or "query" or "header"))
            {
                yield return $"parameter '{parameter.GetProperty("name").GetString()}' in {location}";
            }
        }

        if (operation.Spec.TryGetProperty("requestBody", out var body) && !body.GetProperty("content").TryGetProperty("application/json", out _))
        {
            yield return "a request body that is not application/json";
        }
    }

    public static List<BadInputCase> CasesFor(IEnumerable<BadInputOperation> operations, BadInputWorld world)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var cases = new List<BadInputCase>();
        foreach (var operation in operations)
        {
            cases.AddRange(PathCases(operation, world));
            cases.AddRange(QueryCases(operation, world));
            cases.AddRange(HeaderCases(operation, world));
            cases.AddRange(BodyCases(operation, world));
        }

        return cases;
    }

    // ------------------------------------------------------------------ path and query

    /// <summary>Hostile path segments, already percent-encoded as they go on the wire.</summary>
    private static IEnumerable<(string Label, string Raw, bool KestrelRejects)> HostileSegments(string? real)
    {
        yield return ("NUL (%00)", "%00", true);
        yield return ("lone surrogate (%ED%A0%80)", "%ED%A0%80", false);
        yield return ("invalid UTF-8 (%FF%FE)", "%FF%FE", false);
        yield return ("16 KB segment", new string('a', 16 * 1024), false);
        yield return ("not a GUID", "not-a-guid", false);
        yield return ("empty GUID", Guid.Empty.ToString(), false);
        yield return ("unknown GUID", Guid.NewGuid().ToString(), false);
        yield return ("negative number", "-1", false);
        yield return ("fractional number", "1.5", false);
        yield return ("beyond Int64", "99999999999999999999", false);
        yield return ("encoded slash", "a%2Fb", false);
        yield return ("dot segments", "..%2F..%2Fadmin", false);
        yield return ("space", "a%20b", false);
        yield return ("quote and semicolon", "%27%3B--", false);
        yield return ("emoji", "%F0%9F%98%80", false);
        if (real is not null && real.ToUpperInvariant() != real)
        {
            yield return ("real value in upper case", Uri.EscapeDataString(real.ToUpperInvariant()), false);
        }
    }

    /// <summary>Hostile query values, percent-encoded; <paramref name="schema"/> adds enum-specific ones.</summary>
    private static IEnumerable<(string Label, string Raw)> HostileQueryValues(JsonElement schema, JsonElement document)
    {
        yield return ("NUL (%00)", "%00");
        yield return ("NUL inside", "a%00b");
        yield return ("lone surrogate (%ED%A0%80)", "%ED%A0%80");
        yield return ("16 KB of text", new string('x', 16 * 1024));
        yield return ("empty", "");
        yield return ("text", "abc");
        yield return ("negative number", "-1");
        yield return ("zero", "0");
        yield return ("fractional number", "1.5");
        yield return ("beyond Int64", "99999999999999999999");
        yield return ("beyond double", "1e400");
        yield return ("boolean", "true");
        yield return ("not a GUID", "not-a-guid");
        yield return ("impossible date", "2030-02-30T10:00:00Z");
        yield return ("time without offset", "2030-06-15T10:00:00");
        yield return ("end of the calendar", "9999-12-31T23:59:59Z");
        yield return ("broken duration", "P");
        yield return ("unknown enum value", "no-such-value");
        yield return ("43-char non-canonical base64url", NonCanonicalToken);
        foreach (var value in EnumValues(schema, document).Take(1))
        {
            yield return ("enum value in PascalCase", Uri.EscapeDataString(Pascal(value)));
            yield return ("enum value in upper case", Uri.EscapeDataString(value.ToUpperInvariant()));
        }
    }

    private static IEnumerable<BadInputCase> PathCases(BadInputOperation operation, BadInputWorld world)
    {
        var names = PathParameterNames(operation.Path).ToList();
        foreach (var name in names)
        {
            foreach (var (label, raw, kestrel) in HostileSegments(world.ValueFor(name)))
            {
                yield return new BadInputCase(operation, $"path {name}", label, FillPath(operation, world, (name, raw)), DefaultBody(operation, world), DefaultContentType(operation), kestrel);
            }
        }

        // A very long path: beyond StrictRequests' 8 KB (a 414 problem), within Kestrel's raised limit.
        yield return new BadInputCase(operation, "path", "9 KB appended", FillPath(operation, world) + "/" + new string('p', 9 * 1024), DefaultBody(operation, world), DefaultContentType(operation));
    }

    private static IEnumerable<BadInputCase> QueryCases(BadInputOperation operation, BadInputWorld world)
    {
        var path = FillPath(operation, world);
        var body = DefaultBody(operation, world);
        var type = DefaultContentType(operation);
        foreach (var parameter in Parameters(operation).Where(p => p.GetProperty("in").GetString() == "query"))
        {
            var name = parameter.GetProperty("name").GetString()!;
            var schema = parameter.TryGetProperty("schema", out var s) ? s : default;
            foreach (var (label, raw) in HostileQueryValues(schema, operation.Document))
            {
                yield return new BadInputCase(operation, $"query {name}", label, $"{path}?{Uri.EscapeDataString(name)}={raw}", body, type);
            }

            yield return new BadInputCase(operation, $"query {name}", "given twice", $"{path}?{Uri.EscapeDataString(name)}=1&{Uri.EscapeDataString(name)}=2", body, type);
        }

        // Parameters the operation does not declare still reach the service: they must be clean too.
        yield return new BadInputCase(operation, "query (undeclared)", "NUL value", $"{path}?unexpected=%00", body, type);
        yield return new BadInputCase(operation, "query (undeclared)", "NUL in the name", $"{path}?a%00b=1", body, type);
        yield return new BadInputCase(operation, "query (undeclared)", "lone surrogate value", $"{path}?unexpected=%ED%A0%80", body, type);
        yield return new BadInputCase(operation, "query (undeclared)", "9 KB value", $"{path}?unexpected={new string('q', 9 * 1024)}", body, type);
    }

    private static IEnumerable<BadInputCase> HeaderCases(BadInputOperation operation, BadInputWorld world)
    {
        var path = FillPath(operation, world);
        var body = DefaultBody(operation, world);
        var type = DefaultContentType(operation);
        // Beyond StrictRequests' 32 KB of headers (a 431 problem), within Kestrel's raised limit.
        yield return new BadInputCase(operation, "header", "40 KB header", path, body, type, Header: ("X-Padding", new string('h', 40 * 1024)));
        yield return new BadInputCase(operation, "header", "non-ASCII header value", path, body, type, Header: ("X-Text", "Grüße"));
        yield return new BadInputCase(operation, "header", "bad request id", path, body, type, Header: ("X-Request-Id", "' OR 1=1 --"));
        foreach (var parameter in Parameters(operation).Where(p => p.GetProperty("in").GetString() == "header"))
        {
            var name = parameter.GetProperty("name").GetString()!;
            foreach (var (label, value) in new[] { ("empty", ""), ("text", "not-a-guid"), ("16 KB", new string('k', 16 * 1024)), ("non-ASCII", "Grüße"), ("a list", "a, b"), ("negative number", "-1") })
            {
                yield return new BadInputCase(operation, $"header {name}", label, path, body, type, Header: (name, value));
            }
        }
    }

    private static string FillPath(BadInputOperation operation, BadInputWorld world, (string Name, string Raw)? hostile = null) =>
        PathParameter().Replace(operation.Path, match =>
        {
            var name = match.Groups[1].Value;
            if (hostile is { } h && h.Name == name)
            {
                return h.Raw;
            }

            return Uri.EscapeDataString(world.ValueFor(name) ?? (ParameterFormat(operation, name) == "uuid" ? Guid.NewGuid().ToString() : "x"));
        });

    private static IEnumerable<string> PathParameterNames(string path) => PathParameter().Matches(path).Select(m => m.Groups[1].Value);

    private static string? ParameterFormat(BadInputOperation operation, string name) =>
        Parameters(operation).FirstOrDefault(p => p.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } parameter
        && parameter.TryGetProperty("schema", out var schema) && schema.TryGetProperty("format", out var format) ? format.GetString() : null;

    private static IEnumerable<JsonElement> Parameters(BadInputOperation operation) =>
        operation.Spec.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : [];

    // ------------------------------------------------------------------ bodies

    private static IEnumerable<BadInputCase> BodyCases(BadInputOperation operation, BadInputWorld world)
    {
        if (BodySchema(operation) is not { } schema)
        {
            // A body where the operation takes none is not ignored either (a claim "for" someone else).
            yield return new BadInputCase(operation, "body", "unknown member volunteerId where no body goes", FillPath(operation, world),
                Utf8($"{{\"volunteerId\":\"{Guid.NewGuid()}\"}}"), "application/json");
            yield break;
        }

        var path = FillPath(operation, world);
        var document = operation.Document;
        var sample = Sample(schema, document, "", world, 0);
        const string json = "application/json";

        // The whole body.
        yield return new BadInputCase(operation, "body", "malformed JSON", path, Utf8("{\"a\":"), json);
        yield return new BadInputCase(operation, "body", "empty body", path, [], json);
        yield return new BadInputCase(operation, "body", "no body at all", path, null, null);
        yield return new BadInputCase(operation, "body", "null", path, Utf8("null"), json);
        yield return new BadInputCase(operation, "body", "a string", path, Utf8("\"x\""), json);
        yield return new BadInputCase(operation, "body", "an array where an object goes", path, Utf8($"[{Serialize(sample)}]"), json);
        yield return new BadInputCase(operation, "body", "10,000 nested arrays", path, Utf8(new string('[', 10_000) + new string(']', 10_000)), json);
        yield return new BadInputCase(operation, "body", "1,000 nested objects", path, Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000)), json);
        yield return new BadInputCase(operation, "body", "invalid UTF-8", path, [.. Utf8("{\"a\":\""), 0xFF, 0xFE, .. Utf8("\"}")], json);
        yield return new BadInputCase(operation, "body", "wrong content type", path, Utf8(Serialize(sample)), "text/plain");
        yield return new BadInputCase(operation, "body", "form instead of JSON", path, Utf8("a=1&b=2"), "application/x-www-form-urlencoded");
        if (sample is JsonObject)
        {
            yield return new BadInputCase(operation, "body", "unknown member", path, Utf8(WithMember(sample, "\"unexpectedMember\":1")), json);
            yield return new BadInputCase(operation, "body", "unknown member volunteerId", path, Utf8(WithMember(sample, $"\"volunteerId\":\"{Guid.NewGuid()}\"")), json);
            yield return new BadInputCase(operation, "body", "member name with a lone surrogate", path, Utf8(WithMember(sample, "\"\\ud800\":1")), json);
            yield return new BadInputCase(operation, "body", "member name with NUL", path, Utf8(WithMember(sample, "\"a\\u0000\":1")), json);
        }

        // One field at a time; the rest of the body stays plausible so the field's own checks run.
        var nestedObjects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, fieldSchema) in Fields(sample, schema, document, ""))
        {
            foreach (var (label, raw) in HostileFieldValues(field, fieldSchema, document))
            {
                var copy = sample!.DeepClone();
                Set(copy, field, Slot);
                yield return new BadInputCase(operation, $"body {field}", label, path, Utf8(Serialize(copy).Replace($"\"{Slot}\"", raw, StringComparison.Ordinal)), json);
            }

            if (Parent(field) is { Length: > 0 } parent && nestedObjects.Add(parent))
            {
                // An unknown member inside a nested object is as wrong as one at the top.
                var copy = sample!.DeepClone();
                if (Get(copy, parent) is JsonObject nested)
                {
                    nested["unexpectedMember"] = 1;
                    yield return new BadInputCase(operation, $"body {parent}", "unknown member inside", path, Utf8(Serialize(copy)), json);
                }
            }
        }
    }

    private static IEnumerable<(string Label, string Raw)> HostileFieldValues(string field, JsonElement schema, JsonElement document)
    {
        yield return ("NUL", "\"\\u0000\"");
        yield return ("NUL inside", "\"a\\u0000b\"");
        yield return ("lone high surrogate", "\"\\ud800\"");
        yield return ("lone low surrogate", "\"x\\udc00\"");
        yield return ("surrogates reversed", "\"\\udc00\\ud800\"");
        yield return ("100 KB string", $"\"{new string('x', LongText)}\"");
        yield return ("empty string", "\"\"");
        yield return ("blank string", "\"   \"");
        yield return ("number as string", "\"5\"");
        yield return ("beyond double", "1e400");
        yield return ("beyond Int64", "99999999999999999999");
        yield return ("beyond Int32", "2147483648");
        yield return ("negative number", "-1");
        yield return ("fractional number", "1.5");
        yield return ("boolean", "true");
        yield return ("object", "{}");
        yield return ("array", "[]");
        yield return ("array of objects", "[{}]");
        yield return ("null", "null");
        yield return ("unknown enum value", "\"no-such-value\"");
        foreach (var value in EnumValues(schema, document).Take(1))
        {
            yield return ("enum value in PascalCase", JsonSerializer.Serialize(Pascal(value)));
            yield return ("enum value in upper case", JsonSerializer.Serialize(value.ToUpperInvariant()));
        }

        switch (Format(schema, document))
        {
            case "uuid":
                yield return ("not a GUID", "\"not-a-guid\"");
                yield return ("empty GUID", $"\"{Guid.Empty}\"");
                yield return ("GUID in braces", $"\"{{{Guid.NewGuid()}}}\"");
                break;
            case "date-time":
                yield return ("impossible date", "\"2030-02-30T10:00:00Z\"");
                yield return ("time without offset", "\"2030-06-15T10:00:00\"");
                yield return ("start of the calendar", "\"0001-01-01T00:00:00Z\"");
                yield return ("end of the calendar", "\"9999-12-31T23:59:59+14:00\"");
                yield return ("offset out of range", "\"2030-06-15T10:00:00+25:00\"");
                break;
            case "date":
                yield return ("impossible date", "\"2030-02-30\"");
                yield return ("year 10000", "\"10000-01-01\"");
                break;
        }

        var name = Leaf(field);
        if (name.Contains("time", StringComparison.OrdinalIgnoreCase) || name.Contains("duration", StringComparison.OrdinalIgnoreCase)
            || name.Contains("lead", StringComparison.OrdinalIgnoreCase) || name.Contains("before", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("broken duration", "\"P\"");
            yield return ("duration in years", "\"P1Y\"");
            yield return ("negative duration", "\"-PT1H\"");
            yield return ("huge duration", "\"P99999999999D\"");
        }

        if (name.Contains("token", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("43-char non-canonical base64url", $"\"{NonCanonicalToken}\"");
            yield return ("43 characters outside base64url", $"\"{new string('!', 43)}\"");
            yield return ("44-char base64 with padding", $"\"{new string('A', 43)}=\"");
        }

        if (name.Contains("email", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("address without a domain", "\"someone@\"");
            yield return ("address of 400 characters", $"\"{new string('a', 390)}@example.org\"");
            yield return ("two addresses", "\"a@example.org, b@example.org\"");
        }
    }

    /// <summary>43 base64url characters whose last one sets the 2 bits a 32-byte value leaves unused.</summary>
    private const string NonCanonicalToken = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB";

    private static JsonElement? BodySchema(BadInputOperation operation) =>
        operation.Spec.TryGetProperty("requestBody", out var body)
        && body.GetProperty("content").TryGetProperty("application/json", out var content)
        && content.TryGetProperty("schema", out var schema)
            ? schema
            : null;

    private static byte[]? DefaultBody(BadInputOperation operation, BadInputWorld world) =>
        BodySchema(operation) is { } schema ? Utf8(Serialize(Sample(schema, operation.Document, "", world, 0))) : null;

    private static string? DefaultContentType(BadInputOperation operation) => BodySchema(operation) is null ? null : "application/json";

    /// <summary>A plausible value for a schema: real identifiers, future instants, the first enum value.</summary>
    private static JsonNode? Sample(JsonElement schema, JsonElement document, string name, BadInputWorld world, int depth)
    {
        schema = Resolve(schema, document);
        if (depth > 6)
        {
            return null;
        }

        if (EnumValues(schema, document).FirstOrDefault() is { } first)
        {
            return first;
        }

        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(90).AddHours(9), TimeSpan.Zero);
        switch (TypeOf(schema))
        {
            case "object":
                var result = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        result[property.Name] = Sample(property.Value, document, property.Name, world, depth + 1);
                    }
                }

                return result;
            case "array":
                return schema.TryGetProperty("items", out var items) ? new JsonArray(Sample(items, document, name, world, depth + 1)) : new JsonArray();
            case "integer":
            case "number":
                return 1;
            case "boolean":
                return true;
            default:
                return Format(schema, document) switch
                {
                    "uuid" => world.ValueFor(name) ?? Guid.NewGuid().ToString(),
                    "date-time" => (name.Contains("end", StringComparison.OrdinalIgnoreCase) || name.Contains("until", StringComparison.OrdinalIgnoreCase) ? start.AddHours(2) : start).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    "date" => DateOnly.FromDateTime(start.UtcDateTime.AddDays(30)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    _ when name.Contains("email", StringComparison.OrdinalIgnoreCase) => $"bad-input-{Guid.NewGuid():N}@example.org",
                    _ when name.Contains("token", StringComparison.OrdinalIgnoreCase) => new string('A', 43),
                    _ when name is "org" or "slug" => world.ValueFor("org"),
                    _ when name == "code" => world.QualificationCode,
                    _ => "Test",
                };
        }
    }

    /// <summary>The fields of a sample (dotted paths; arrays by their first item), with their schemas.</summary>
    private static IEnumerable<(string Field, JsonElement Schema)> Fields(JsonNode? node, JsonElement schema, JsonElement document, string prefix)
    {
        schema = Resolve(schema, document);
        if (node is JsonObject obj && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                var field = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                yield return (field, property.Value);
                foreach (var inner in Fields(obj[property.Name], property.Value, document, field))
                {
                    yield return inner;
                }
            }
        }
        else if (node is JsonArray { Count: > 0 } array && Resolve(schema, document).TryGetProperty("items", out var items))
        {
            var field = $"{prefix}[0]";
            yield return (field, items);
            foreach (var inner in Fields(array[0], items, document, field))
            {
                yield return inner;
            }
        }
    }

    /// <summary>$ref, and the non-null branch of a nullable (oneOf/anyOf with a "null" type).</summary>
    private static JsonElement Resolve(JsonElement schema, JsonElement document)
    {
        for (var i = 0; i < 10 && schema.ValueKind == JsonValueKind.Object; i++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!.Split('/')[^1];
                schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
            }
            else if ((schema.TryGetProperty("oneOf", out var choices) || schema.TryGetProperty("anyOf", out choices) || schema.TryGetProperty("allOf", out choices))
                && choices.EnumerateArray().FirstOrDefault(c => TypeOf(c) != "null") is { ValueKind: JsonValueKind.Object } choice)
            {
                schema = choice;
            }
            else
            {
                break;
            }
        }

        return schema;
    }

    private static string? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out _) ? "object" : null;
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : type.GetString();
    }

    private static string? Format(JsonElement schema, JsonElement document)
    {
        schema = Resolve(schema, document);
        return schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var format) ? format.GetString() : null;
    }

    private static IEnumerable<string> EnumValues(JsonElement schema, JsonElement document)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        schema = Resolve(schema, document);
        return schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var values)
            ? values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];
    }

    private static string Pascal(string kebab) =>
        string.Concat(kebab.Split('-').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    private static string WithMember(JsonNode? sample, string member)
    {
        var text = Serialize(sample);
        return text == "{}" ? "{" + member + "}" : "{" + member + "," + text[1..];
    }

    private static string Serialize(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Leaf(string field) => field.Split('.')[^1].Split('[')[0];

    private static string? Parent(string field)
    {
        var dot = field.LastIndexOf('.');
        return dot < 0 ? null : field[..dot];
    }

    private static IEnumerable<string> Steps(string field) =>
        field.Replace("[0]", ".[0]", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries);

    private static JsonNode? Get(JsonNode? node, string field)
    {
        foreach (var step in Steps(field))
        {
            node = step == "[0]" ? (node as JsonArray)?[0] : (node as JsonObject)?[step];
        }

        return node;
    }

    private static void Set(JsonNode root, string field, string value)
    {
        var steps = Steps(field).ToList();
        var parent = Get(root, string.Join('.', steps.Take(steps.Count - 1)).Replace(".[0]", "[0]", StringComparison.Ordinal));
        var last = steps[^1];
        if (last == "[0]" && parent is JsonArray array)
        {
            array[0] = value;
        }
        else if (parent is JsonObject obj)
        {
            obj[last] = value;
        }
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteConstraint();
}
