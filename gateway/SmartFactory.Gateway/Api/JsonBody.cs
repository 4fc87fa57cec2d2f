using System.Text.Json;

namespace SmartFactory.Gateway.Api;

/// <summary>Reads a JSON body, answering a problem that names the field when the JSON does not fit the shape.</summary>
public static class JsonBody
{
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Invalid(StatusCodes.Status415UnsupportedMediaType, "JSON required", "send the body as application/json", []));
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            return body is null ? (null, Problems.BadRequest(new ProblemField("body", "is required"))) : (body, null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
            return (null, Problems.BadRequest(new ProblemField(field, "has the wrong type or an unknown value")));
        }
    }

    /// <summary>Reads the body and hands it to <paramref name="handle"/>, or answers the body's problem.</summary>
    public static async Task<IResult> HandleAsync<T>(HttpRequest request, JsonSerializerOptions options, Func<T, Task<IResult>> handle) where T : class
    {
        var (body, problem) = await ReadAsync<T>(request, options);
        return problem ?? await handle(body!);
    }
}
