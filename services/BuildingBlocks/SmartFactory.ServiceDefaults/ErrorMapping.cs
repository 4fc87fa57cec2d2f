using SmartFactory.Grpc;

namespace SmartFactory.ServiceDefaults;

/// <summary>The one place where domain errors become gRPC statuses.</summary>
public static class ErrorMapping
{
    public static RpcException? ToRpcException(Exception exception) => exception switch
    {
        ValidationException e => RpcException.InvalidArgument(e.Message, e.Violations.Select(v => (v.Field, v.Description))),
        NotFoundException e => new RpcException(StatusCode.NotFound, e.Message),
        AlreadyExistsException e => new RpcException(StatusCode.AlreadyExists, e.Message),
        RuleViolationException e => new RpcException(StatusCode.FailedPrecondition, e.Message, PreconditionFailure(e.Rules)),
        ConcurrencyException e => new RpcException(StatusCode.Aborted, e.Message),
        ForbiddenException e => new RpcException(StatusCode.PermissionDenied, e.Message),
        UnauthenticatedException e => new RpcException(StatusCode.Unauthenticated, e.Message),
        // Two writers met (deadlock, serialization failure, or a unique index that the first one won): try again.
        Npgsql.PostgresException { SqlState: "40P01" or "40001" or "23505" } =>
            new RpcException(StatusCode.Aborted, "a concurrent change got there first; read again and retry"),
        _ => null,
    };

    // Each broken rule as a google.rpc.PreconditionFailure violation, so clients can list them.
    private static Google.Rpc.Status PreconditionFailure(IReadOnlyList<string> rules)
    {
        var failure = new Google.Rpc.PreconditionFailure();
        failure.Violations.Add(rules.Select(r => new Google.Rpc.PreconditionFailure.Types.Violation { Type = "RULE", Description = r }));
        return new Google.Rpc.Status { Details = { Google.Protobuf.WellKnownTypes.Any.Pack(failure) } };
    }
}
