using Grpc.Core;
using Grpc.Net.ClientFactory;
using SmartFactory.Catalog.Data;
using SmartFactory.Catalog.Data.Elasticsearch;
using SmartFactory.Catalog.Domain;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using StackExchange.Redis;

namespace SmartFactory.Catalog.Jobs;

/// <summary>
/// Pulls the registry's change feed (LifecycleService.ListChanges) with the catalog's own service token and applies it,
/// continuously, on the replica holding the Redis lock (on every replica while Redis is down: the position row
/// serializes them, see <see cref="CatalogStore"/>). Each page is applied in one transaction with its position; with the
/// Elasticsearch engine, the entries it wrote then go to the index (<see cref="ElasticsearchCatalogIndex"/>).
/// </summary>
public sealed class FeedPuller(CatalogStore store, GrpcClientFactory clients, ServiceTokens tokens, IConnectionMultiplexer redis, TimeProvider time,
    IConfiguration configuration, FeedMetrics metrics, ILogger<FeedPuller> logger, ElasticsearchCatalogIndex? index = null) : BackgroundService
{
    public const int PageSize = 500;

    private ReferenceNames? names;

    /// <summary>Applies pages until the catalog has caught up with the feed; answers how many changes were applied.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var position = await store.PositionAsync(cancellationToken);
            var (changes, head) = await PageAsync(position.Applied, cancellationToken);
            metrics.Observe(changes.Count == 0 ? head : position.Applied, head);
            if (changes.Count == 0)
            {
                if (head != position.Head) await store.ApplyAsync([], head, await NamesAsync(cancellationToken), cancellationToken);
                await IndexAsync([], cancellationToken); // builds the index if it has none yet
                return total;
            }
            var changed = new List<CatalogEntry>();
            total += await store.ApplyAsync(changes, head, await NamesAsync(cancellationToken), cancellationToken, changed);
            await IndexAsync(changed, cancellationToken);
        }
    }

    /// <summary>The province's rebuild: the whole feed replayed from sequence 0 into a fresh model, swapped in at commit.</summary>
    public async Task<FeedPosition> RebuildAsync(CallerScope caller, CancellationToken cancellationToken)
    {
        names = null; // the registry's reference data as it is now
        var current = await NamesAsync(cancellationToken);
        var position = await store.RebuildAsync(caller, after => PageAsync(after, cancellationToken), current, cancellationToken);
        if (index is not null) await index.RebuildAsync(store.AllEntriesAsync(cancellationToken), cancellationToken);
        return position;
    }

    // After the page committed: an entry written twice in a page goes once, as it stands last.
    private Task IndexAsync(List<CatalogEntry> changed, CancellationToken cancellationToken) =>
        index is null ? Task.CompletedTask
            : index.SyncAsync([.. changed.GroupBy(e => e.Id).Select(g => g.Last())], () => store.AllEntriesAsync(cancellationToken), cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue(CatalogSettings.Keys.FeedEnabled, true)) return;
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue(CatalogSettings.Keys.FeedIntervalMilliseconds, 1000));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await redis.RunLockedAsync(CatalogSettings.FeedLock, TimeSpan.FromMinutes(5), () => CatchUpAsync(stoppingToken), logger); }
            // A timeout is an OperationCanceledException too: only the host's shutdown ends the loop.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { logger.LogError(e, "Catalog feed pull failed; retrying"); }
            try { await Task.Delay(interval, time, stoppingToken); }
            catch (OperationCanceledException) { }
        }
    }

    private async Task<(IReadOnlyList<FeedChange> Changes, long Head)> PageAsync(long after, CancellationToken cancellationToken)
    {
        var response = await Registry().ListChangesAsync(new ListChangesRequest { AfterSequence = after, Limit = PageSize },
            await AuthorizationAsync(cancellationToken), cancellationToken: cancellationToken);
        return ([.. response.Changes.Select(c => new FeedChange(c.Sequence, c.EntityType, c.Kind, c.PayloadJson, c.At.ToDateTime()))], response.LastSequence);
    }

    /// <summary>Region and industry names from the registry's reference data, read once per process (and per rebuild).</summary>
    private async Task<ReferenceNames> NamesAsync(CancellationToken cancellationToken)
    {
        if (names is not null) return names;
        var client = clients.CreateClient<RegistryService.RegistryServiceClient>(nameof(RegistryService.RegistryServiceClient));
        var authorization = await AuthorizationAsync(cancellationToken);
        var regions = await client.ListRegionsAsync(new ListRegionsRequest(), authorization, cancellationToken: cancellationToken);
        var industries = await client.ListIndustriesAsync(new ListIndustriesRequest(), authorization, cancellationToken: cancellationToken);
        return names = new ReferenceNames(
            regions.Regions.ToDictionary(r => r.Code, r => (r.Name, r.ParentCode.Length == 0 ? null : (string?)r.ParentCode)),
            industries.Industries.ToDictionary(i => i.Code, i => i.Name));
    }

    // From the factory on each call, so a long-lived job follows the factory's handler rotation.
    private LifecycleService.LifecycleServiceClient Registry() =>
        clients.CreateClient<LifecycleService.LifecycleServiceClient>(nameof(LifecycleService.LifecycleServiceClient));

    // Its own token: the feed is read for the service, not for a user.
    private async Task<Metadata> AuthorizationAsync(CancellationToken cancellationToken) =>
        new() { { "authorization", "Bearer " + await tokens.GetAsync(cancellationToken) } };
}
