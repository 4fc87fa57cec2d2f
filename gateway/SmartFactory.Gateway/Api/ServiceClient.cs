using Google.Protobuf;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Grpc;

namespace SmartFactory.Gateway.Api;

/// <summary>Calls one gRPC service on behalf of the REST caller, forwarding the caller's token.</summary>
public abstract class ServiceClient(GrpcClient grpc, IHttpContextAccessor accessor, ServiceDescriptor service)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>, new()
    {
        var context = accessor.HttpContext ?? throw new InvalidOperationException("no request in progress");
        var headers = new Metadata();
        if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization) headers.Add("authorization", authorization);
        return grpc.UnaryAsync<TRequest, TResponse>(
            service.FindMethodByName(method) ?? throw new ArgumentException($"{service.Name} has no method {method}", nameof(method)),
            request, new CallOptions(headers, DateTime.UtcNow + Deadline, context.RequestAborted));
    }
}

/// <summary>smartfactory.registry.v1.RegistryService: enterprises, factories, reference data.</summary>
public sealed class RegistryClient(GrpcClient grpc, IHttpContextAccessor accessor)
    : ServiceClient(grpc, accessor, RegistryReflection.Descriptor.Services[0]);

/// <summary>smartfactory.registry.v1.LifecycleService: campaigns, applications, recognitions (served by the registry too).</summary>
public sealed class LifecycleClient(GrpcClient grpc, IHttpContextAccessor accessor)
    : ServiceClient(grpc, accessor, LifecycleReflection.Descriptor.Services[0]);
