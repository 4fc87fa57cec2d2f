using System.Net;
using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.ServiceDefaults.Grpc;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace SmartFactory.Gateway.Proxy;

/// <summary>
/// gRPC passes through YARP to the service that owns it: one route per proto service (<c>/package.Service/*</c>),
/// forwarded over h2c to the address in <c>Services:&lt;cluster&gt;</c>.
/// </summary>
public static class GrpcRoutes
{
    /// <summary>Each service the gateway routes gRPC to, by the cluster that serves it.</summary>
    public static readonly (string Cluster, ServiceDescriptor Service)[] Owners =
    [
        (GatewaySettings.RegistryCluster, RegistryService.Descriptor),
        (GatewaySettings.RegistryCluster, LifecycleService.Descriptor),
        (GatewaySettings.RegistryCluster, DossierService.Descriptor),
        (GatewaySettings.RegistryCluster, RecommendationService.Descriptor),
        (GatewaySettings.RegistryCluster, SpotCheckService.Descriptor),
        (GatewaySettings.NoticesCluster, NoticesService.Descriptor),
        (GatewaySettings.CatalogCluster, CatalogService.Descriptor),
    ];

    public static IReverseProxyBuilder AddGrpcRoutes(this IServiceCollection services)
    {
        services.AddSingleton<IProxyConfigProvider>(sp => Routes(sp.GetRequiredService<IConfiguration>()));
        return services.AddReverseProxy();
    }

    private static InMemoryConfigProvider Routes(IConfiguration configuration)
    {
        var routes = Owners.Select(o => new RouteConfig
        {
            RouteId = o.Service.FullName,
            ClusterId = o.Cluster,
            Match = new RouteMatch { Path = $"/{o.Service.FullName}/{{**method}}", Methods = ["POST"] },
        }).ToList();
        var clusters = Owners.Select(o => o.Cluster).Distinct().Select(cluster => new ClusterConfig
        {
            ClusterId = cluster,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [cluster] = new() { Address = configuration[GatewaySettings.Keys.Proxy(cluster)] is { Length: > 0 } proxy ? proxy
                    : ProxyAddress(GrpcClients.Address(configuration, cluster)) },
            },
            HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact },
        }).ToList();
        return new InMemoryConfigProvider(routes, clusters);
    }

    /// <summary>
    /// YARP forwards over HTTP to <c>Gateway:Proxy:&lt;cluster&gt;</c> (in the chart the service's ClusterIP Service), else
    /// to <c>Services:&lt;cluster&gt;</c>, where a <c>dns:///name:port</c> address (which the gateway's own gRPC clients
    /// balance call by call) becomes <c>http://name:port</c>. YARP balances connections, not calls: a gateway replica's
    /// HTTP/2 connection goes to one pod, so pass-through gRPC is spread only as far as connections are.
    /// </summary>
    public static string ProxyAddress(Uri address) =>
        address.Scheme == "dns" ? $"http://{address.AbsolutePath.TrimStart('/')}" : address.ToString();

    /// <summary>
    /// The gateway checks the token too: a call that presents a token which fails validation is answered
    /// UNAUTHENTICATED here, as gRPC (trailers-only), and never reaches the service.
    /// </summary>
    public static async Task RefuseInvalidTokens(HttpContext context, Func<Task> next)
    {
        if (context.Request.Headers.Authorization.Count > 0 && context.User.Identity?.IsAuthenticated != true)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "16";
            context.Response.Headers["grpc-message"] = "the bearer token is not valid";
            return;
        }
        await next();
    }
}
