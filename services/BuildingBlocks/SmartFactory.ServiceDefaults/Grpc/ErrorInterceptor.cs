using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace SmartFactory.ServiceDefaults.Grpc;

/// <summary>
/// Every service's answer to a thrown error: a domain error becomes its status (<see cref="ErrorMapping"/>), logged in
/// one line since it is an answer, not a fault (an outage of the database, UNAVAILABLE, is logged with its cause);
/// anything else is INTERNAL with no internals, logged with its stack.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(request, context); }
        catch (Exception e) when (Map(e, context) is { } status) { throw status; }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { await continuation(request, responseStream, context); }
        catch (Exception e) when (Map(e, context) is { } status) { throw status; }
    }

    private RpcException? Map(Exception exception, ServerCallContext context)
    {
        // A status already, or the call's end (deadline, client gone): Grpc.AspNetCore answers those itself.
        if (exception is RpcException || context.CancellationToken.IsCancellationRequested) return null;
        if (ErrorMapping.ToRpcException(exception) is { } mapped)
        {
            // An outage is a fault of ours even if the answer is a status: its cause goes to the log, not to the caller.
            if (mapped.StatusCode == StatusCode.Unavailable)
                logger.LogWarning(exception, "gRPC {Method} answered {Status}: {Message}", context.Method, mapped.StatusCode, mapped.Status.Detail);
            else logger.LogInformation("gRPC {Method} answered {Status}: {Message}", context.Method, mapped.StatusCode, mapped.Status.Detail);
            return mapped;
        }
        logger.LogError(exception, "gRPC {Method} failed; answering INTERNAL", context.Method);
        return new RpcException(new Status(StatusCode.Internal, "the service failed to answer"));
    }
}
