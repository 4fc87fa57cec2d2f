using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;

namespace SmartFactory.Gateway.Api;

/// <summary>A wrong field as the REST caller named it (camelCase), e.g. <c>creditCode</c>.</summary>
public sealed record ProblemField(string Field, string Description);

/// <summary>gRPC statuses as RFC 9457 problem details, carrying every field violation and every broken rule.</summary>
public static class Problems
{
    public static IResult FromRpc(RpcException e)
    {
        var status = e.StatusCode switch
        {
            StatusCode.InvalidArgument or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
            StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
            StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
            StatusCode.NotFound => StatusCodes.Status404NotFound,
            // The request conflicts with the record's state: a duplicate, a stale version, or a rule forbidding it now.
            StatusCode.AlreadyExists or StatusCode.Aborted or StatusCode.FailedPrecondition => StatusCodes.Status409Conflict,
            StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
            StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
            StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
            StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
            _ => StatusCodes.Status500InternalServerError,
        };
        var details = e.GetRpcStatus()?.Details ?? [];
        var fields = details.Where(any => any.Is(Google.Rpc.BadRequest.Descriptor))
            .SelectMany(any => any.Unpack<Google.Rpc.BadRequest>().FieldViolations)
            .Select(v => new ProblemField(CamelCase(v.Field), v.Description)).ToList();
        // A refusal lists every broken rule (google.rpc.PreconditionFailure, one violation per rule, in the rule's words),
        // so the caller can show them all instead of parsing the message.
        var rules = details.Where(any => any.Is(Google.Rpc.PreconditionFailure.Descriptor))
            .SelectMany(any => any.Unpack<Google.Rpc.PreconditionFailure>().Violations).Select(v => v.Description).ToList();
        // Server-side failures keep their words in the logs: UNAVAILABLE carries the service's internal host and port.
        var detail = e.StatusCode switch
        {
            StatusCode.Unavailable => "the service is unavailable; try again shortly",
            _ when status >= 500 => "the platform failed to answer",
            _ => e.Status.Detail,
        };
        return Invalid(status, Title(e.StatusCode), detail, fields, e.StatusCode, rules);
    }

    public static IResult Invalid(int status, string title, string detail, IReadOnlyList<ProblemField> fields, StatusCode? grpcStatus = null,
        IReadOnlyList<string>? rules = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" };
        if (fields.Count > 0) problem.Extensions["errors"] = fields;
        if (rules is { Count: > 0 }) problem.Extensions["rules"] = rules;
        if (grpcStatus is { } code) problem.Extensions["grpcStatus"] = ScreamingSnake(code.ToString());
        return Results.Problem(problem);
    }

    public static IResult BadRequest(params ProblemField[] fields) =>
        Invalid(StatusCodes.Status400BadRequest, "The request has invalid fields", string.Join("; ", fields.Select(f => $"{f.Field}: {f.Description}")), fields);

    /// <summary>
    /// The id every problem carries as <c>traceId</c>, and the log of its request too: the W3C trace id, by which a
    /// trace is found across the gateway and the services, or ASP.NET Core's request id when nothing traces.
    /// </summary>
    public static string TraceId(HttpContext context) => Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;

    private static string Title(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument => "The request has invalid fields",
        StatusCode.NotFound => "Not found",
        StatusCode.AlreadyExists => "Already exists",
        StatusCode.Aborted => "Changed by someone else",
        StatusCode.FailedPrecondition => "Not allowed now",
        StatusCode.PermissionDenied => "Not allowed for your role",
        StatusCode.Unauthenticated => "Sign in required",
        StatusCode.Unavailable => "Service unavailable",
        StatusCode.ResourceExhausted => "Too many requests",
        _ => "Error",
    };

    // InvalidArgument → INVALID_ARGUMENT, the status's name in the gRPC spec.
    private static string ScreamingSnake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    /// <summary>credit_code → creditCode; nested paths keep their dots.</summary>
    public static string CamelCase(string field) =>
        string.Join('.', field.Split('.').Select(part =>
        {
            var words = part.Split('_', StringSplitOptions.RemoveEmptyEntries);
            return words.Length == 0 ? part : words[0] + string.Concat(words.Skip(1).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        }));
}
