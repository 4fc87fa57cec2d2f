using Elastic.Clients.Elasticsearch;
using SmartFactory.Catalog.Data;
using SmartFactory.Catalog.Data.Elasticsearch;
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
        builder.AddCatalogSearch();
        // The feed and the reference names are read with the catalog's own service token.
        builder.Services.AddServiceClient<LifecycleService.LifecycleServiceClient>(CatalogSettings.RegistryCluster, LifecycleService.Descriptor);
        builder.Services.AddServiceClient<RegistryService.RegistryServiceClient>(CatalogSettings.RegistryCluster, RegistryService.Descriptor);
        builder.Services.AddSingleton<FeedMetrics>();
        builder.Services.AddSingleton<FeedPuller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FeedPuller>());
        builder.Services.AddScoped<CatalogService>();
        return builder;
    }

    /// <summary>
    /// The search engine by <see cref="CatalogSettings.Keys.SearchEngine"/>: PostgreSQL unless Elasticsearch is chosen, which
    /// then needs <see cref="CatalogSettings.Keys.SearchUrl"/>. A wrong setting stops the start, not the first search.
    /// </summary>
    private static void AddCatalogSearch(this WebApplicationBuilder builder)
    {
        var engine = builder.Configuration[CatalogSettings.Keys.SearchEngine] ?? CatalogSettings.Engines.Postgres;
        switch (engine)
        {
            case CatalogSettings.Engines.Postgres:
                builder.Services.AddSingleton<ICatalogSearch, PostgresCatalogSearch>();
                break;
            case CatalogSettings.Engines.Elasticsearch:
                if (!Uri.TryCreate(builder.Configuration[CatalogSettings.Keys.SearchUrl], UriKind.Absolute, out var url))
                    throw new InvalidOperationException($"{CatalogSettings.Keys.SearchUrl} must be the Elasticsearch cluster's address");
                builder.Services.AddSingleton(new ElasticsearchClient(new ElasticsearchClientSettings(url)));
                builder.Services.AddSingleton<ElasticsearchCatalogIndex>();
                builder.Services.AddSingleton<ICatalogSearch, ElasticsearchCatalogSearch>();
                break;
            default:
                throw new InvalidOperationException($"{CatalogSettings.Keys.SearchEngine} must be {CatalogSettings.Engines.Postgres} or {CatalogSettings.Engines.Elasticsearch}, not '{engine}'");
        }
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
