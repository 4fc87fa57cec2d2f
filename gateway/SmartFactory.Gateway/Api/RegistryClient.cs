using Google.Protobuf;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Grpc;

namespace SmartFactory.Gateway.Api;

/// <summary>Calls the registry service over gRPC on behalf of the REST caller, forwarding the caller's token.</summary>
public sealed class RegistryClient(GrpcClient grpc, IHttpContextAccessor accessor)
{
    private static readonly ServiceDescriptor Service = RegistryReflection.Descriptor.Services[0];
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>, new()
    {
        var context = accessor.HttpContext ?? throw new InvalidOperationException("no request in progress");
        var headers = new Metadata();
        if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization) headers.Add("authorization", authorization);
        return grpc.UnaryAsync<TRequest, TResponse>(
            Service.FindMethodByName(method) ?? throw new ArgumentException($"RegistryService has no method {method}", nameof(method)),
            request, new CallOptions(headers, DateTime.UtcNow + Deadline, context.RequestAborted));
    }
}
