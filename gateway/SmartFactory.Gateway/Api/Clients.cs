global using CatalogClient = SmartFactory.Contracts.Catalog.V1.CatalogService.CatalogServiceClient;
global using DossierClient = SmartFactory.Contracts.Registry.V1.DossierService.DossierServiceClient;
global using LifecycleClient = SmartFactory.Contracts.Registry.V1.LifecycleService.LifecycleServiceClient;
global using NoticesClient = SmartFactory.Contracts.Notices.V1.NoticesService.NoticesServiceClient;
global using RegistryClient = SmartFactory.Contracts.Registry.V1.RegistryService.RegistryServiceClient;
global using RecommendationClient = SmartFactory.Contracts.Registry.V1.RecommendationService.RecommendationServiceClient;
global using SpotCheckClient = SmartFactory.Contracts.Registry.V1.SpotCheckService.SpotCheckServiceClient;
using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.ServiceDefaults.Grpc;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// The services the REST routes call, as typed gRPC clients at <c>Services:&lt;cluster&gt;</c> (the clusters YARP
/// routes gRPC to as well), each call carrying the REST caller's token when there is one.
/// </summary>
public static class Clients
{
    /// <summary>What the notices service accepts in one message: an objection with five evidence files of 10 MiB.</summary>
    public const int MaxNoticesMessageBytes = 60 * 1024 * 1024;

    /// <summary>What the registry's dossier service takes and answers in one message: a 20 MiB file and its fields.</summary>
    public const int MaxDossierMessageBytes = 21 * 1024 * 1024;

    public static IServiceCollection AddServiceClients(this IServiceCollection services)
    {
        services.AddServiceClient<RegistryClient>(GatewaySettings.RegistryCluster, RegistryService.Descriptor);
        services.AddServiceClient<LifecycleClient>(GatewaySettings.RegistryCluster, LifecycleService.Descriptor);
        services.AddServiceClient<DossierClient>(GatewaySettings.RegistryCluster, DossierService.Descriptor, MaxDossierMessageBytes);
        services.AddServiceClient<RecommendationClient>(GatewaySettings.RegistryCluster, RecommendationService.Descriptor);
        services.AddServiceClient<SpotCheckClient>(GatewaySettings.RegistryCluster, SpotCheckService.Descriptor);
        services.AddTransient<ClientAddressHandler>();
        // Evidence files come back whole (up to 10 MiB each): the default 4 MiB would refuse them.
        services.AddServiceClient<NoticesClient>(GatewaySettings.NoticesCluster, NoticesService.Descriptor, MaxNoticesMessageBytes)
            .AddHttpMessageHandler<ClientAddressHandler>();
        services.AddServiceClient<CatalogClient>(GatewaySettings.CatalogCluster, CatalogService.Descriptor);
        return services;
    }
}

/// <summary>
/// Every call to the notices service carries the client's address as <c>x-forwarded-for</c>, by which the service
/// limits objections per client: the connection's peer, or the address a trusted proxy named for it
/// (<c>Gateway:TrustedProxies</c>, resolved by the forwarded-headers middleware). Whatever else the request's own
/// X-Forwarded-For says is the client's claim, and not passed on.
/// </summary>
public sealed class ClientAddressHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    /// <summary>The client a request comes from, as every per-client limit counts it (the catalog's in the gateway too).</summary>
    public static string? Of(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : null;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } http && Of(http) is { } client) request.Headers.TryAddWithoutValidation("x-forwarded-for", client);
        return base.SendAsync(request, cancellationToken);
    }
}
