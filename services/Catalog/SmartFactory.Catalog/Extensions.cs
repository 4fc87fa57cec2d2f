using SmartFactory.Catalog.Data;
using SmartFactory.Catalog.Grpc;
using SmartFactory.Catalog.Jobs;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Grpc;

namespace SmartFactory.Catalog;

public static class Extensions
{
    /// <summary>Where the HTTP port tells how far behind the registry's feed the catalog is: {applied, head, lag}.</summary>
    public const string FeedHealthPath = "/health/feed";

    public static WebApplicationBuilder AddCatalogServices(this WebApplicationBuilder builder)
    {
        builder.AddRedis(); // the feed puller's lock
        builder.Services.AddSingleton<CatalogStore>();
        builder.Services.AddSingleton<ICatalogSearch, PostgresCatalogSearch>();
        // The feed and the reference names are read with the catalog's own service token.
        builder.Services.AddServiceClient<LifecycleService.LifecycleServiceClient>(CatalogSettings.RegistryCluster, LifecycleService.Descriptor);
        builder.Services.AddServiceClient<RegistryService.RegistryServiceClient>(CatalogSettings.RegistryCluster, RegistryService.Descriptor);
        builder.Services.AddSingleton<FeedPuller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FeedPuller>());
        builder.Services.AddScoped<CatalogService>();
        return builder;
    }

    public static WebApplication MapCatalog(this WebApplication app)
    {
        app.MapGrpcService<CatalogService>();
        app.MapGet(FeedHealthPath, async (CatalogStore store, CancellationToken cancellationToken) =>
        {
            var position = await store.PositionAsync(cancellationToken);
            return Results.Json(new { applied = position.Applied, head = position.Head, lag = position.Lag });
        });
        return app;
    }
}
