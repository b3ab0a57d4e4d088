using System.Text.Json.Nodes;

namespace Shifts.Gateway;

/// <summary>
/// One OpenAPI document for the whole public API (/openapi/shifts.json), merged from the services'
/// own documents at request time, for a client generator: the paths of all three services (they are
/// disjoint: the gateway routes each to one service), their tags, and their components. A component
/// two services name alike but describe differently is renamed after its service in that service's
/// part, so neither description is lost.
/// </summary>
public static class MergedOpenApi
{
    public const string Path = "/openapi/shifts.json";

    public static readonly string[] Services = [GatewayRoutes.Volunteers, GatewayRoutes.Events, GatewayRoutes.Notifications];

    public static void MapMergedOpenApi(this WebApplication app)
    {
        app.MapGet(Path, async (IHttpClientFactory clients, IConfiguration configuration, CancellationToken cancel) =>
        {
            var documents = new List<(string Service, JsonObject Document)>();
            foreach (var service in Services)
            {
                using var client = clients.CreateClient(nameof(MergedOpenApi));
                client.BaseAddress = new Uri(GatewayRoutes.ServiceAddress(configuration, service));
                var text = await client.GetStringAsync("/openapi/v1.json", cancel);
                documents.Add((service, JsonNode.Parse(text)!.AsObject()));
            }

            return Results.Text(Merge(documents).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), "application/json");
        }).AllowAnonymous().ExcludeFromDescription();
    }

    public static JsonObject Merge(IReadOnlyList<(string Service, JsonObject Document)> documents)
    {
        var paths = new JsonObject();
        var components = new JsonObject();
        var tags = new JsonArray();
        var tagNames = new HashSet<string>(StringComparer.Ordinal);
        var security = new JsonArray();

        foreach (var (service, original) in documents)
        {
            var document = original.DeepClone().AsObject();
            RenameClashingComponents(service, document, components);

            foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
            {
                if (paths.ContainsKey(path))
                    throw new InvalidOperationException($"{path} is described by two services ({service} and another); the gateway routes a path to one.");
                paths[path] = item!.DeepClone();
            }

            foreach (var (section, entries) in document["components"]?.AsObject() ?? [])
            {
                var merged = components[section]?.AsObject() ?? (JsonObject)(components[section] = new JsonObject());
                foreach (var (name, value) in entries!.AsObject())
                    merged[name] ??= value!.DeepClone();
            }

            foreach (var tag in document["tags"]?.AsArray() ?? [])
                if (tag?["name"]?.GetValue<string>() is { } name && tagNames.Add(name))
                    tags.Add(tag.DeepClone());

            foreach (var requirement in document["security"]?.AsArray() ?? [])
                if (!security.Any(known => JsonNode.DeepEquals(known, requirement)))
                    security.Add(requirement!.DeepClone());
        }

        var first = documents[0].Document;
        var result = new JsonObject
        {
            ["openapi"] = first["openapi"]?.DeepClone() ?? "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "Shifts API",
                ["version"] = "v1",
                ["description"] = "The whole public API as the gateway serves it: the volunteers, events and notifications services' documents in one. Conventions (errors and codes, paging, time, idempotency): docs/api.md.",
            },
            ["paths"] = Sorted(paths),
            ["components"] = new JsonObject(components.Select(section => KeyValuePair.Create(section.Key, (JsonNode?)Sorted(section.Value!.AsObject())))),
        };
        if (tags.Count > 0)
            result["tags"] = new JsonArray([.. tags.OrderBy(t => t!["name"]!.GetValue<string>(), StringComparer.Ordinal).Select(t => t!.DeepClone())]);
        if (security.Count > 0)
            result["security"] = security;
        return result;
    }

    /// <summary>Renames, in <paramref name="document"/>, each component already merged with a different description.</summary>
    private static void RenameClashingComponents(string service, JsonObject document, JsonObject merged)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (section, entries) in document["components"]?.AsObject() ?? [])
        {
            if (merged[section]?.AsObject() is not { } known)
                continue;
            foreach (var (name, value) in entries!.AsObject().ToList())
            {
                if (known[name] is { } other && !JsonNode.DeepEquals(other, value))
                {
                    var renamed = char.ToUpperInvariant(service[0]) + service[1..] + name;
                    entries.AsObject().Remove(name);
                    entries.AsObject()[renamed] = value;
                    renames[$"#/components/{section}/{name}"] = $"#/components/{section}/{renamed}";
                }
            }
        }

        if (renames.Count > 0)
            RewriteReferences(document, renames);
    }

    private static void RewriteReferences(JsonNode? node, Dictionary<string, string> renames)
    {
        switch (node)
        {
            case JsonObject item:
                if (item["$ref"]?.GetValue<string>() is { } reference && renames.TryGetValue(reference, out var renamed))
                    item["$ref"] = renamed;
                foreach (var (_, child) in item.ToList())
                    RewriteReferences(child, renames);
                break;
            case JsonArray list:
                foreach (var child in list)
                    RewriteReferences(child, renames);
                break;
        }
    }

    /// <summary>Keys in ordinal order, so the document is the same whatever order the services answered in.</summary>
    private static JsonObject Sorted(JsonObject entries) =>
        new(entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, e.Value?.DeepClone())));
}
