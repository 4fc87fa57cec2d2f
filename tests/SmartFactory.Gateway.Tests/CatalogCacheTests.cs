using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.Gateway.Api;
using SmartFactory.TestSupport;
using StackExchange.Redis;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// The public catalog's answers (公开透明, 003 第八条: anyone may look them up) cached in the real Redis under the catalog's
/// feed sequence, with ETags, and limited per client on search and export; and still answered with Redis unreachable.
/// </summary>
public sealed class CatalogCacheTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IAsyncLifetime
{
    private ConnectionMultiplexer redis = null!;

    public async Task InitializeAsync() => redis = await ConnectionMultiplexer.ConnectAsync(TestDatabase.Redis);

    public async Task DisposeAsync() => await redis.DisposeAsync();

    [Fact]
    public async Task A_second_read_is_served_from_Redis_under_the_feeds_sequence()
    {
        var entry = await fixture.PublishedCatalogEntry("420600");
        var path = $"/api/v1/catalog/entries?q={Uri.EscapeDataString("襄阳")}&region=420600";
        var (first, model, sequence) = await ReadAtOneSequence(path);
        var key = CatalogCache.Key(model, sequence, path);
        Assert.True(await redis.GetDatabase().KeyExistsAsync(key), $"no cached answer at {key}");
        Assert.Equal(first, Encoding.UTF8.GetString((byte[])(await redis.GetDatabase().StringGetAsync(key))!));
        Assert.Contains(GatewayFixture.Id(entry), first);

        // What Redis holds is what the second read answers: the catalog is not asked for it again.
        const string kept = """{"items":[],"total":-1,"facets":null,"nextPageToken":null}""";
        await redis.GetDatabase().StringSetAsync(key, kept, TimeSpan.FromMinutes(1));
        Assert.Equal(kept, await fixture.Http.GetStringAsync(path));
    }

    [Fact]
    public async Task A_registry_change_moves_the_sequence_and_the_next_read_is_fresh()
    {
        var first = await fixture.PublishedCatalogEntry("420700");
        var path = "/api/v1/catalog/entries?region=420700&sort=date";
        var (_, model, before) = await ReadAtOneSequence(path);
        await redis.GetDatabase().StringSetAsync(CatalogCache.Key(model, before, path), """{"items":[],"total":-1}""", TimeSpan.FromMinutes(1));

        // Another recognition takes effect: a change in the registry's feed, applied by the catalog before this returns.
        var second = await fixture.PublishedCatalogEntry("420700");
        var (fresh, sameModel, after) = await ReadAtOneSequence(path);
        Assert.Equal(model, sameModel);
        Assert.True(after > before, $"the sequence stayed at {before}");
        Assert.Contains(GatewayFixture.Id(first), fresh);
        Assert.Contains(GatewayFixture.Id(second), fresh);
        Assert.True(await redis.GetDatabase().KeyExistsAsync(CatalogCache.Key(model, after, path)));
    }

    [Fact]
    public async Task If_None_Match_with_the_answers_ETag_is_304_without_a_body()
    {
        var entry = await fixture.PublishedCatalogEntry("420800");
        foreach (var path in new[] { $"/api/v1/catalog/entries/{GatewayFixture.Id(entry)}", $"/api/v1/catalog/lists/{entry.GetProperty("listIds")[0].GetString()}",
            "/api/v1/catalog/lists?level=basic" })
        {
            var answer = await fixture.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var etag = answer.Headers.ETag;
            Assert.NotNull(etag);
            Assert.Contains("no-cache", answer.Headers.CacheControl?.ToString());

            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(etag);
            var notModified = await fixture.Http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, notModified.Headers.ETag);

            using var other = new HttpRequestMessage(HttpMethod.Get, path);
            other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
            var changed = await fixture.Http.SendAsync(other);
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.Equal(await answer.Content.ReadAsStringAsync(), await changed.Content.ReadAsStringAsync());
        }
        // A problem is not cached and carries no ETag.
        var missing = await fixture.Http.GetAsync($"/api/v1/catalog/entries/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Null(missing.Headers.ETag);
    }

    [Fact]
    public async Task Searches_and_exports_beyond_the_clients_limit_are_429_with_Retry_After()
    {
        await using var gateway = fixture.StartGateway(Limited(fixture.SettingsWithoutDevelopmentKey()), "Production");
        using var client = fixture.ClientFrom(GatewayFixture.NewClientAddress());
        client.BaseAddress = gateway.HttpAddress;
        await AssertLimited(client, "/api/v1/catalog/entries?q=" + Uri.EscapeDataString("钢"), Searches);
        await AssertLimited(client, "/api/v1/catalog/entries/export?format=json&q=" + Uri.EscapeDataString("不存在" + Guid.NewGuid()), Exports);

        // Another client has its own allowance.
        using var neighbour = fixture.ClientFrom(GatewayFixture.NewClientAddress());
        neighbour.BaseAddress = gateway.HttpAddress;
        Assert.Equal(HttpStatusCode.OK, (await neighbour.GetAsync("/api/v1/catalog/entries")).StatusCode);
    }

    [Fact]
    public async Task With_Redis_unreachable_the_catalog_still_answers_uncached_with_ETags_and_limits()
    {
        var entry = await fixture.PublishedCatalogEntry("420900");
        var settings = Limited(fixture.SettingsWithoutDevelopmentKey());
        settings["ConnectionStrings:Redis"] = "127.0.0.1:1"; // nothing listens there: every connection is refused
        await using var gateway = fixture.StartGateway(settings, "Production");
        using var client = fixture.ClientFrom(GatewayFixture.NewClientAddress());
        client.BaseAddress = gateway.HttpAddress;

        var permalink = $"/api/v1/catalog/entries/{GatewayFixture.Id(entry)}";
        var first = await client.GetAsync(permalink);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var second = await client.GetAsync(permalink);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        using var again = new HttpRequestMessage(HttpMethod.Get, permalink);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        var list = await client.GetAsync($"/api/v1/catalog/lists/{entry.GetProperty("listIds")[0].GetString()}");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        // The limit then counts in the gateway's own memory.
        await AssertLimited(client, "/api/v1/catalog/entries?region=420900", Searches);
    }

    private const int Searches = 3;
    private const int Exports = 2;

    private static Dictionary<string, string?> Limited(Dictionary<string, string?> settings)
    {
        settings[GatewaySettings.Keys.CatalogSearchesPerMinute] = Searches.ToString();
        settings[GatewaySettings.Keys.CatalogExportsPerMinute] = Exports.ToString();
        return settings;
    }

    /// <summary>
    /// Requests until the first 429: it comes after the limit (twice the limit if a minute's window turned meanwhile), as a
    /// problem with Retry-After within the minute.
    /// </summary>
    private static async Task AssertLimited(HttpClient client, string path, int limit)
    {
        for (var sent = 0; ; sent++)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.InRange(sent, limit, 2 * limit);
                var seconds = response.Headers.RetryAfter?.Delta?.TotalSeconds;
                Assert.NotNull(seconds);
                Assert.InRange(seconds.Value, 1, 60);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal(429, problem.GetProperty("status").GetInt32());
                return;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(sent < 2 * limit, $"{path}: no 429 after {sent + 1} requests");
        }
    }

    /// <summary>The answer, read while the catalog's applied sequence stayed put: the sequence its cache key names.</summary>
    private async Task<(string Body, long Model, long Sequence)> ReadAtOneSequence(string path)
    {
        using var channel = fixture.Catalog.GrpcChannel();
        var catalog = new CatalogService.CatalogServiceClient(channel);
        for (var attempt = 0; ; attempt++)
        {
            var before = await catalog.GetFeedPositionAsync(new());
            var response = await fixture.Http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
            if ((await catalog.GetFeedPositionAsync(new())).AppliedSequence == before.AppliedSequence) return (body, before.Model, before.AppliedSequence);
            Assert.True(attempt < 20, "the catalog's feed never stood still");
            await Task.Delay(100);
        }
    }
}
