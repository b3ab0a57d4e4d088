using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.Paging;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.ServiceDefaults.OpenApi;

/// <summary>
/// Each service describes its endpoints as one OpenAPI document (<c>/openapi/v1.json</c>); the
/// gateway publishes them per service and merged. What a client generator needs beyond what ASP.NET
/// Core derives is added here, once: the bearer security scheme and the endpoints that require it,
/// the problem responses an endpoint declares with <see cref="ProducesProblems{TBuilder}"/> (with their
/// codes), and the types of the query parameters the API reads as text (<see cref="QueryValues"/>).
/// Tags and summaries are the endpoints' own (<c>WithTags</c>, <c>WithSummary</c>).
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "bearer";
    private const string ProblemSchema = "Problem";

    /// <summary>How the query parameters that endpoints bind as text are typed in the documents, by name.</summary>
    private static readonly Dictionary<string, Func<OpenApiSchema>> QueryTypes = new(StringComparer.Ordinal)
    {
        ["limit"] = () => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Maximum = Page.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Default = JsonValue.Create(Page.DefaultLimit),
        },
        ["cursor"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Description = "The nextCursor of the previous page." },
        ["from"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        ["to"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        ["open"] = () => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        ["newcomerFriendly"] = () => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        ["past"] = () => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        ["series"] = () => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        ["within"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "duration" },
    };

    public static IServiceCollection AddShiftsOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options => options
            .AddDocumentTransformer(DescribeDocument)
            .AddOperationTransformer(DescribeOperation)
            .AddSchemaTransformer(ConvertedSchemas.DescribeAsync));
        return services;
    }

    /// <summary>
    /// Documents the problem responses of an endpoint: <paramref name="status"/> with the codes it
    /// may carry (none given: the status's general code, e.g. 404 <c>not-found</c>).
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, int status, params string[] codes) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var metadata = new ProblemResponse(status, codes.Length > 0 ? codes : [ProblemCodes.ForStatus(status)]);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var service = context.ApplicationServices.GetRequiredService<IHostEnvironment>().ApplicationName.Replace("Shifts.", "", StringComparison.Ordinal);
        document.Info.Title = $"Shifts {service} API";
        document.Info.Description = "Served through the gateway. Errors, paging, time and idempotency follow the conventions in docs/api.md.";
        // Clients call the gateway's origin, never a service's own address.
        document.Servers = [new OpenApiServer { Url = "/" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The access token from POST /api/sessions (a login link exchanged) or POST /api/sessions/refresh.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details; 'code' is the machine-readable reason (docs/api.md, \"Errors\").",
            Required = new HashSet<string> { "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["requestId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "For 400 validation: the messages per field.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
        return Task.CompletedTask;
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { In: ParameterLocation.Query, Name: { } name } query && QueryTypes.TryGetValue(name, out var schema))
            {
                query.Schema = schema();
            }
        }

        var problems = metadata.OfType<ProblemResponse>().ToList();
        var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (signedIn)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            problems.Add(new ProblemResponse(StatusCodes.Status401Unauthorized, [ProblemCodes.Unauthenticated]));
        }

        // Any request may meet a dependency that is briefly away; the answer is the same everywhere.
        problems.Add(new ProblemResponse(StatusCodes.Status503ServiceUnavailable, [ProblemCodes.Unavailable]));
        operation.Responses ??= new OpenApiResponses();
        foreach (var byStatus in problems.GroupBy(p => p.Status).OrderBy(g => g.Key))
        {
            var codes = byStatus.SelectMany(p => p.Codes).Distinct(StringComparer.Ordinal).ToList();
            operation.Responses[byStatus.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = $"Problem details with code {string.Join(", ", codes.Select(c => $"'{c}'"))}.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
                },
                Extensions = new Dictionary<string, IOpenApiExtension>
                {
                    ["x-problem-codes"] = new JsonNodeExtension(new JsonArray([.. codes.Select(c => (JsonNode)JsonValue.Create(c))])),
                },
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>Endpoint metadata: this endpoint may answer <see cref="Status"/> with one of <see cref="Codes"/>.</summary>
    public sealed record ProblemResponse(int Status, IReadOnlyList<string> Codes);
}
