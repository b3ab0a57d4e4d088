using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Shifts.Deployment.Tests;

/// <summary>YAML documents as JSON nodes (scalars stay strings), so tests navigate them with one API.</summary>
public static class Yaml
{
    public static IReadOnlyList<JsonObject> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents
            .Select(d => ToJson(d.RootNode))
            .OfType<JsonObject>()
            .ToList();
    }

    public static JsonObject Document(string text) => Assert.Single(Documents(text));

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: null or "~" or "null" } scalar when scalar.Style == YamlDotNet.Core.ScalarStyle.Plain => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    public static string? Text(this JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node is JsonObject o ? o[step] : node is JsonArray a && int.TryParse(step, out var i) && i < a.Count ? a[i] : null;
        }

        return node?.GetValue<string>();
    }

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node is JsonObject o ? o[step] : null;
        }

        return node is JsonArray array ? array.OfType<JsonObject>() : [];
    }
}
