using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using GrpcStatus = Grpc.Core.Status;
using Status = Google.Rpc.Status;

namespace SmartFactory.ServiceDefaults;

/// <summary>The one place where domain errors become gRPC statuses, with their details in <c>grpc-status-details-bin</c>.</summary>
public static class ErrorMapping
{
    // Statuses travel in HTTP/2 headers: a description that quotes what the caller sent (a 100 KB name, say) must not
    // outgrow what a client accepts in headers (HttpClient: 64 KiB), or the caller sees UNAVAILABLE instead of the answer.
    private const int MaxDescription = 300;
    private const int MaxMessage = 2000;

    public static RpcException? ToRpcException(Exception exception) => exception switch
    {
        ValidationException e => Rich(Code.InvalidArgument, e.Message, new BadRequest
        {
            FieldViolations =
            {
                e.Violations.Select(v => new BadRequest.Types.FieldViolation
                {
                    Field = Bounded(v.Field, MaxDescription), Description = Bounded(v.Description, MaxDescription),
                }),
            },
        }),
        NotFoundException e => Plain(StatusCode.NotFound, e.Message),
        AlreadyExistsException e => Plain(StatusCode.AlreadyExists, e.Message),
        // Each broken rule as a PreconditionFailure violation, so clients can list them.
        RuleViolationException e => Rich(Code.FailedPrecondition, e.Message, new PreconditionFailure
        {
            Violations = { e.Rules.Select(r => new PreconditionFailure.Types.Violation { Type = "RULE", Description = Bounded(r, MaxDescription) }) },
        }),
        ConcurrencyException e => Plain(StatusCode.Aborted, e.Message),
        ForbiddenException e => Plain(StatusCode.PermissionDenied, e.Message),
        UnauthenticatedException e => Plain(StatusCode.Unauthenticated, e.Message),
        // Two writers met (deadlock, serialization failure, or a unique index that the first one won): try again.
        Npgsql.PostgresException { SqlState: "40P01" or "40001" or "23505" } =>
            Plain(StatusCode.Aborted, "a concurrent change got there first; read again and retry"),
        // The database unreachable, restarting or out of connections: the pool reconnects by itself, so try again shortly.
        // No host or cause in the answer; the interceptor logs it.
        Npgsql.NpgsqlException { IsTransient: true } => Plain(StatusCode.Unavailable, "the service's database is unavailable; try again shortly"),
        _ => null,
    };

    private static RpcException Plain(StatusCode code, string message) => new(new GrpcStatus(code, Bounded(message, MaxMessage)));

    private static RpcException Rich(Code code, string message, Google.Protobuf.IMessage detail) =>
        new Status { Code = (int)code, Message = Bounded(message, MaxMessage), Details = { Any.Pack(detail) } }.ToRpcException();

    private static string Bounded(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)] + "…";
}
