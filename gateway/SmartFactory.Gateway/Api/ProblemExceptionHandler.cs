using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// The one place an exception becomes an answer. A request the gateway cannot read — a body that is not the JSON or the
/// form it claims to be, a query value of the wrong type, a body over the limit — is the caller's 4xx problem naming
/// what is wrong; anything else is a 500 that shows nothing of the inside (no exception, no stack, no address) and is
/// logged with the trace id the problem carries, by which the log is found.
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var traceId = Problems.TraceId(context);
        var refusal = Refusal(context, exception);
        if (refusal is { } r)
            logger.LogInformation("{Method} {Path} refused with {Status}: {Detail} (trace {TraceId})", request.Method, request.Path, r.Status, r.Detail, traceId);
        else
            logger.LogError(exception, "{Method} {Path} failed (trace {TraceId})", request.Method, request.Path, traceId);
        var (status, title, detail, fields) = refusal
            ?? new(StatusCodes.Status500InternalServerError, "Error", "the platform failed to answer; the trace id finds the failure in its logs", []);
        await Problems.Invalid(status, title, detail, fields).ExecuteAsync(context);
        return true;
    }

    private sealed record RefusalProblem(int Status, string Title, string Detail, IReadOnlyList<ProblemField> Fields);

    private static RefusalProblem? Refusal(HttpContext context, Exception exception) => exception switch
    {
        // Kestrel's own refusals while the body is read (too large, cut short, too slow), and minimal APIs' failures to bind.
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new(StatusCodes.Status413PayloadTooLarge, "Request too large",
            context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit ? $"the body may be at most {Size(limit)}" : "the body is too large", []),
        BadHttpRequestException e when Binding().Match(e.Message) is { Success: true } bound => BadRequest(bound.Groups["name"].Value,
            e.Message.Contains("was not provided") ? "is required" : Expected(bound.Groups["type"].Value)),
        BadHttpRequestException { StatusCode: >= 400 and < 500 } e => new(e.StatusCode, ReasonPhrases.GetReasonPhrase(e.StatusCode), e.Message, []),
        BadHttpRequestException e => new(StatusCodes.Status400BadRequest, "Bad request", e.Message, []),
        // What the form reader says of a body that is not the multipart form its content type announces.
        InvalidDataException e when context.Request.HasFormContentType => BadRequest("body", $"is not a readable form: {e.Message}"),
        // A reader error inside (JsonReaderException) is the text's, which says where; without one the text is JSON that does not fit the field.
        JsonException { InnerException: JsonException syntax } when context.Request.HasJsonContentType() =>
            BadRequest("body", $"is not well-formed JSON: {syntax.Message}"),
        JsonException e when context.Request.HasJsonContentType() =>
            BadRequest(e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body", "has the wrong type or an unknown value"),
        _ => null,
    };

    private static RefusalProblem BadRequest(string field, string description) =>
        new(StatusCodes.Status400BadRequest, "The request has invalid fields", $"{field}: {description}", [new ProblemField(field, description)]);

    // Minimal APIs name the parameter in their words: Failed to bind parameter "Nullable<int> pageSize" from "abc".
    [GeneratedRegex("parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\"")]
    private static partial Regex Binding();

    private static string Expected(string type) => type switch
    {
        "int" or "Nullable<int>" => $"must be a whole number from {int.MinValue} to {int.MaxValue}",
        "long" or "Nullable<long>" => $"must be a whole number from {long.MinValue} to {long.MaxValue}",
        "bool" or "Nullable<bool>" => "must be true or false",
        _ => "has the wrong format",
    };

    private static string Size(long bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes} bytes";
}
