using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// Writes every problem — a route's, the exception handler's, an empty 401 or 404 given a body — as
/// application/problem+json with the <c>traceId</c> of its request's log. The framework's writer declines a request
/// whose Accept names no JSON, which then gets "Status Code: 401; Unauthorized" as text: this API speaks JSON only,
/// and a refusal should say why in the one format it has.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ??= context.HttpContext.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        problem.Type ??= $"https://httpstatuses.io/{status}";
        problem.Detail ??= status switch // the framework's empty answers, in words
        {
            StatusCodes.Status401Unauthorized => "a valid bearer token is required",
            StatusCodes.Status404NotFound => "no such route: /openapi/v1.json lists them",
            StatusCodes.Status405MethodNotAllowed => "the route takes other methods: /openapi/v1.json lists them",
            StatusCodes.Status415UnsupportedMediaType => "the route takes another content type: /openapi/v1.json names it",
            _ => null,
        };
        problem.Extensions["traceId"] = Problems.TraceId(context.HttpContext);
        return new(context.HttpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json"));
    }
}
