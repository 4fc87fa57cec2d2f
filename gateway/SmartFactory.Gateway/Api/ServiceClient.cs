using Google.Protobuf;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Grpc;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// Calls one gRPC service on behalf of the REST caller, forwarding the caller's token when there is one. Each service
/// has its own <see cref="GrpcClient"/>, keyed by its cluster name (<c>Services:&lt;cluster&gt;</c>, as YARP routes it).
/// </summary>
public abstract class ServiceClient(GrpcClient grpc, IHttpContextAccessor accessor, ServiceDescriptor service)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>, new()
    {
        var context = accessor.HttpContext ?? throw new InvalidOperationException("no request in progress");
        var headers = new Metadata();
        if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization) headers.Add("authorization", authorization);
        AddHeaders(headers, context);
        return grpc.UnaryAsync<TRequest, TResponse>(
            service.FindMethodByName(method) ?? throw new ArgumentException($"{service.Name} has no method {method}", nameof(method)),
            request, new CallOptions(headers, DateTime.UtcNow + Deadline, context.RequestAborted));
    }

    /// <summary>Metadata a service needs beyond the token.</summary>
    protected virtual void AddHeaders(Metadata headers, HttpContext context) { }
}

/// <summary>smartfactory.registry.v1.RegistryService: enterprises, factories, reference data.</summary>
public sealed class RegistryClient([FromKeyedServices(RegistryClient.Cluster)] GrpcClient grpc, IHttpContextAccessor accessor)
    : ServiceClient(grpc, accessor, RegistryReflection.Descriptor.Services[0])
{
    public const string Cluster = "Registry";
}

/// <summary>smartfactory.registry.v1.LifecycleService: campaigns, applications, recognitions (served by the registry too).</summary>
public sealed class LifecycleClient([FromKeyedServices(RegistryClient.Cluster)] GrpcClient grpc, IHttpContextAccessor accessor)
    : ServiceClient(grpc, accessor, LifecycleReflection.Descriptor.Services[0]);

/// <summary>
/// smartfactory.notices.v1.NoticesService: publicity notices and objections. Public calls carry no token; every call
/// carries the client's address as <c>x-forwarded-for</c>, by which the service limits objections per client.
/// </summary>
public sealed class NoticesClient([FromKeyedServices(NoticesClient.Cluster)] GrpcClient grpc, IHttpContextAccessor accessor)
    : ServiceClient(grpc, accessor, NoticesReflection.Descriptor.Services[0])
{
    public const string Cluster = "Notices";

    /// <summary>What the notices service accepts in one message: an objection with five evidence files of 10 MiB.</summary>
    public const int MaxMessageBytes = 60 * 1024 * 1024;

    protected override void AddHeaders(Metadata headers, HttpContext context) => headers.Add("x-forwarded-for", ClientAddress(context));

    /// <summary>
    /// The client's address and nothing else: the connection's peer, or the address a trusted proxy named for it
    /// (<c>Gateway:TrustedProxies</c>, resolved by the forwarded-headers middleware). Whatever else the request's own
    /// X-Forwarded-For says is the client's claim, and not passed on.
    /// </summary>
    public static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : "unknown";
}
