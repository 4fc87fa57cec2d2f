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
        RuleViolationException e => new RpcException(StatusCode.FailedPrecondition, e.Message),
        ConcurrencyException e => new RpcException(StatusCode.Aborted, e.Message),
        ForbiddenException e => new RpcException(StatusCode.PermissionDenied, e.Message),
        UnauthenticatedException e => new RpcException(StatusCode.Unauthenticated, e.Message),
        _ => null,
    };
}
