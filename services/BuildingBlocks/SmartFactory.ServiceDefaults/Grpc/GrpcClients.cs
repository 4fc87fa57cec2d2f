using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Grpc.Net.ClientFactory;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using IdempotencyLevel = Google.Protobuf.Reflection.MethodOptions.Types.IdempotencyLevel;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace SmartFactory.ServiceDefaults.Grpc;

/// <summary>
/// The typed gRPC clients one service or the gateway uses to call another, from Grpc.Net.ClientFactory. The address is
/// <c>Services:&lt;cluster&gt;</c>: <c>http://host:port</c> for one server, or <c>dns:///headless-service:port</c> to
/// balance calls round robin across every replica the name resolves to. Every call carries the caller's token (a
/// handler: call credentials are not sent over h2c), a deadline unless it sets one, and is retried on UNAVAILABLE only
/// when its proto marks it free of side effects or idempotent.
/// </summary>
public static class GrpcClients
{
    public const int DefaultMaxMessageBytes = 4 * 1024 * 1024;
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(15);

    /// <param name="name">The client's name in the factory, when one type is needed for more than one cluster.</param>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IServiceCollection services, string cluster, ServiceDescriptor contract,
        int maxMessageBytes = DefaultMaxMessageBytes, string? name = null) where TClient : class
    {
        services.AddHttpContextAccessor();
        services.TryAddTransient<CallerTokenHandler>();
        services.TryAddSingleton<CallDefaults>();
        // dns:/// names are resolved again every 30 s, so replicas added by a scale-up get calls too.
        services.TryAddSingleton<ResolverFactory>(new DnsResolverFactory(TimeSpan.FromSeconds(30)));
        // Built once: the factory configures a channel for every client it hands out.
        var serviceConfig = ServiceConfig(contract);
        return services
            .AddGrpcClient<TClient>(name ?? typeof(TClient).Name, (sp, options) => options.Address = Address(sp.GetRequiredService<IConfiguration>(), cluster))
            .ConfigureChannel(channel =>
            {
                channel.Credentials = ChannelCredentials.Insecure; // h2c inside the cluster; TLS ends at the ingress
                channel.MaxReceiveMessageSize = maxMessageBytes;
                channel.MaxSendMessageSize = maxMessageBytes;
                channel.ServiceConfig = serviceConfig;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            })
            .AddHttpMessageHandler<CallerTokenHandler>()
            .AddInterceptor<CallDefaults>(InterceptorScope.Client);
    }

    public static Uri Address(IConfiguration configuration, string cluster) =>
        new(configuration[ServiceAddressKey(cluster)] is { Length: > 0 } address ? address
            : throw new InvalidOperationException($"{ServiceAddressKey(cluster)} is not set"));

    /// <summary>Where a caller finds a service: <c>Services:&lt;cluster&gt;</c>.</summary>
    public static string ServiceAddressKey(string cluster) => "Services:" + cluster;

    /// <summary>Round robin across the resolved addresses; the channel's own retries for the methods safe to repeat.</summary>
    public static ServiceConfig ServiceConfig(ServiceDescriptor contract)
    {
        var config = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
        var safe = contract.Methods.Where(m => m.GetOptions()?.IdempotencyLevel is IdempotencyLevel.NoSideEffects or IdempotencyLevel.Idempotent).ToList();
        if (safe.Count == 0) return config;
        var retried = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 4,
                InitialBackoff = TimeSpan.FromMilliseconds(100),
                MaxBackoff = TimeSpan.FromSeconds(1),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var method in safe) retried.Names.Add(new MethodName { Service = contract.FullName, Method = method.Name });
        config.MethodConfigs.Add(retried);
        return config;
    }
}

/// <summary>
/// Sends the token of the request being served (REST or gRPC) unless the call names its own: only a token this process
/// validated, so a public route's caller with a garbled one is simply anonymous downstream.
/// </summary>
public sealed class CallerTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains("authorization") && accessor.HttpContext is { User.Identity.IsAuthenticated: true } http
            && http.Request.Headers.Authorization.ToString() is { Length: > 0 } token)
            request.Headers.TryAddWithoutValidation("authorization", token);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>A deadline on every call that sets none, and the end of the request being served cancels the call.</summary>
public sealed class CallDefaults(IHttpContextAccessor accessor) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDefaults(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDefaults(context));

    private ClientInterceptorContext<TRequest, TResponse> WithDefaults<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class where TResponse : class
    {
        var options = context.Options;
        if (options.Deadline is null) options = options.WithDeadline(DateTime.UtcNow + GrpcClients.DefaultDeadline);
        if (!options.CancellationToken.CanBeCanceled && accessor.HttpContext is { } http) options = options.WithCancellationToken(http.RequestAborted);
        return new(context.Method, context.Host, options);
    }
}
