using System.Text.Json;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// A route as the gateway's OpenAPI document (/openapi/v1.json) describes it: method, path template, query parameters
/// and the body it takes. Tests read the routes from the document, so that a route is covered the day it is mapped.
/// </summary>
public sealed record OpenApiRoute(string Method, string Template, string[] Query, string? BodyType, JsonElement? BodySchema)
{
    public override string ToString() => $"{Method} {Template}";

    public static List<OpenApiRoute> Read(JsonElement document) =>
    [
        .. document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject().Select(operation =>
        {
            var parameters = operation.Value.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
            var content = operation.Value.TryGetProperty("requestBody", out var body) ? body.GetProperty("content").EnumerateObject().FirstOrDefault() : default;
            var hasBody = content.Value.ValueKind == JsonValueKind.Object;
            return new OpenApiRoute(operation.Name.ToUpperInvariant(), path.Name,
                [.. parameters.Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!)],
                hasBody ? content.Name : null, hasBody ? content.Value.GetProperty("schema") : null);
        })),
    ];

    /// <summary>The schema itself, through <c>$ref</c>s and the <c>oneOf: [null, …]</c> of a nullable property.</summary>
    public static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        while (schema.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("$ref", out var reference)) schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
            else if (schema.TryGetProperty("oneOf", out var one)) schema = one.EnumerateArray().First(s => !s.TryGetProperty("type", out var t) || t.GetString() != "null");
            else break;
        }
        return schema;
    }

    /// <summary>The schema's type other than null (object, array, integer, number, boolean, string), or "any".</summary>
    public static string Type(JsonElement schema) =>
        schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type) ? "any"
        : type.ValueKind == JsonValueKind.String ? type.GetString()! : type.EnumerateArray().Select(t => t.GetString()!).First(t => t != "null");
}
