using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shifts.ServiceDefaults.Json;

/// <summary>
/// The OpenAPI generator learns a type's JSON shape from System.Text.Json's own converters; where
/// JsonSetup replaces them (exact enums, strict strings, instants, durations) the schema would say
/// nothing. This puts back what the converters read and write: strings, and each enum's exact names.
/// </summary>
internal static class ConvertedSchemas
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var declared = context.JsonTypeInfo.Type;
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        var nullable = type != declared || (type == typeof(string) && IsNullableReference(context));
        if (type.IsEnum)
        {
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Enum = [.. ExactEnumConverterFactory.NamesOf(type, JsonSetup.EnumNaming).Select(name => (JsonNode)JsonValue.Create(name))];
        }
        else if (schema.Type is null && (type == typeof(string) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan)))
        {
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }

        return Task.CompletedTask;
    }

    private static bool IsNullableReference(OpenApiSchemaTransformerContext context) =>
        context.JsonPropertyInfo?.AttributeProvider switch
        {
            PropertyInfo property => new NullabilityInfoContext().Create(property).ReadState != NullabilityState.NotNull,
            FieldInfo field => new NullabilityInfoContext().Create(field).ReadState != NullabilityState.NotNull,
            _ => true,
        };
}
