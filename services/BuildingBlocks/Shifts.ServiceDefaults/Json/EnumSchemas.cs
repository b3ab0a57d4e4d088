using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shifts.ServiceDefaults.Json;

/// <summary>
/// The OpenAPI document lists each enum's exact names: the generator knows them only from
/// System.Text.Json's own enum converter, and <see cref="ExactEnumConverterFactory"/> replaces it.
/// </summary>
internal static class EnumSchemas
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var declared = context.JsonTypeInfo.Type;
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        if (type.IsEnum)
        {
            schema.Type = type == declared ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Enum = [.. ExactEnumConverterFactory.NamesOf(type, JsonSetup.EnumNaming).Select(name => (JsonNode)JsonValue.Create(name))];
        }

        return Task.CompletedTask;
    }
}
