using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// Reads a JSON body. Text that is not JSON, or does not fit the shape, throws as it is read, and
/// <see cref="ProblemExceptionHandler"/> answers the problem naming the field.
/// </summary>
public static class JsonBody
{
    /// <summary>Far above any record here, and below the services' 4 MiB messages, which a larger body could exceed.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Invalid(StatusCodes.Status415UnsupportedMediaType, "JSON required", "send the body as application/json", []));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBytes;
        T? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
        }
        // Kestrel tells of some broken framing (a chunk size that overflows) with a bare IOException; from the body alone, it is the request's.
        catch (IOException e) when (e is not BadHttpRequestException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new BadHttpRequestException($"the body could not be read: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
        return body is null ? (null, Problems.BadRequest(new ProblemField("body", "is required"))) : (body, null);
    }

    /// <summary>Reads the body and hands it to <paramref name="handle"/>, or answers the body's problem.</summary>
    public static async Task<IResult> HandleAsync<T>(HttpRequest request, JsonSerializerOptions options, Func<T, Task<IResult>> handle) where T : class
    {
        var (body, problem) = await ReadAsync<T>(request, options);
        return problem ?? await handle(body!);
    }
}
