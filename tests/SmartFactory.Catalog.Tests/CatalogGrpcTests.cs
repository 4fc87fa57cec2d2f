using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.TestSupport;
using static SmartFactory.TestSupport.GrpcTesting;
using Registry = SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Catalog.Tests;

/// <summary>
/// The catalog fed by a real registry through its change feed, read without a token over real gRPC. One fixture for the
/// class: each test makes its own factories with names of its own and asserts on them.
/// </summary>
public sealed class CatalogGrpcTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private Task<SearchEntriesResponse> Search(SearchEntriesRequest request) =>
        catalog.CallCatalog<SearchEntriesRequest, SearchEntriesResponse>("SearchEntries", request);

    private Task<Entry> Get(string id) => catalog.CallCatalog<GetEntryRequest, Entry>("GetEntry", new() { Id = id });

    [Fact]
    public async Task A_recognition_that_took_effect_is_an_entry_of_its_city_s_published_list_003_第十三条()
    {
        var (recognition, _, _) = await catalog.RecognizedBasicAsync("420100", "武汉甲壳虫智能工厂", "甲壳虫汽车零部件有限公司");
        var before = await catalog.CallCatalog<GetEntryRequest, Entry>("GetEntry", new() { Id = recognition.Id }).ContinueWith(t => t.Exception);
        Assert.Equal(StatusCode.NotFound, Assert.IsType<RpcException>(before!.InnerException).StatusCode); // not applied yet
        Assert.True(await catalog.Feed.CatchUpAsync() > 0);

        var entry = await Get(recognition.Id);
        Assert.Equal(("武汉甲壳虫智能工厂", "甲壳虫汽车零部件有限公司", "420100", "武汉市", "36", "active", false),
            (entry.FactoryName, entry.EnterpriseName, entry.RegionCode, entry.RegionName, entry.IndustryCode, entry.Status, entry.Tombstone));
        Assert.Equal((Registry.Level.Basic, "420100", "武汉市", recognition.EffectiveOn), (entry.Level, entry.AuthorityCode, entry.AuthorityName, entry.EffectiveOn));
        Assert.NotEqual("", entry.IndustryName);

        var list = await catalog.CallCatalog<GetListRequest, PublishedList>("GetList", new() { Id = Assert.Single(entry.ListIds) });
        Assert.Equal($"{entry.Year}年武汉市基础级智能工厂名单", list.Name);
        Assert.Equal(entry.EffectiveOn, list.PublishedOn);
        Assert.Contains(list.Entries, e => e.Id == recognition.Id);
        var lists = await catalog.CallCatalog<ListListsRequest, ListListsResponse>("ListLists", new() { Level = Registry.Level.Basic });
        Assert.Contains(lists.Lists, l => l.Id == list.Id && l.EntryCount == list.Entries.Count);
    }

    [Fact]
    public async Task Chinese_queries_of_one_to_four_characters_and_Latin_ones_find_entries_with_highlights()
    {
        var (steel, _, _) = await catalog.RecognizedBasicAsync("420200", "黄石钢铁智能工厂", "黄石锻钢集团有限公司");
        var (auto, _, _) = await catalog.RecognizedBasicAsync("420500", "宜昌ABC8汽车零部件数字化车间", "宜昌汽车零部件股份有限公司");
        await catalog.Feed.CatchUpAsync();

        var one = await Search(new() { Q = "钢" });
        Assert.Contains(one.Entries, e => e.Id == steel.Id && e.HighlightedFactoryName == "黄石<em>钢</em>铁智能工厂"
            && e.HighlightedEnterpriseName == "黄石锻<em>钢</em>集团有限公司");
        Assert.DoesNotContain(one.Entries, e => e.Id == auto.Id);
        Assert.Contains((await Search(new() { Q = "黄石" })).Entries, e => e.Id == steel.Id);
        Assert.Contains((await Search(new() { Q = "汽车零部件" })).Entries, e => e.Id == auto.Id);
        Assert.Contains((await Search(new() { Q = "数字化车" })).Entries, e => e.Id == auto.Id);
        Assert.Contains((await Search(new() { Q = "abc8" })).Entries, e => e.Id == auto.Id && e.HighlightedFactoryName.Contains("<em>ABC8</em>"));
        // Region and industry names match too: 宜昌市, and the words of both.
        Assert.Contains((await Search(new() { Q = "宜昌市" })).Entries, e => e.Id == auto.Id);
        Assert.DoesNotContain((await Search(new() { Q = "钢 宜昌" })).Entries, e => e.Id == steel.Id || e.Id == auto.Id);
        // Relevance: a match in the factory's name ranks above one in the enterprise's name alone.
        var ranked = await Search(new() { Q = "汽车零部件", Region = "420500" });
        Assert.Equal(auto.Id, ranked.Entries[0].Id);
    }

    [Fact]
    public async Task Filters_region_prefix_facets_and_keyset_pages()
    {
        var made = new List<string>();
        foreach (var (region, name) in new[] { ("421000", "荆州一号智能工厂"), ("421000", "荆州二号智能工厂"), ("421000", "荆州三号智能工厂"), ("421100", "黄冈荆州路智能工厂") })
            made.Add((await catalog.RecognizedBasicAsync(region, name, name.Replace("智能工厂", "有限公司"))).Recognition.Id);
        await catalog.Feed.CatchUpAsync();

        var jingzhou = await Search(new() { Q = "荆州", Region = "421000" });
        Assert.Equal(3, jingzhou.Total);
        Assert.All(jingzhou.Entries, e => Assert.Equal("421000", e.RegionCode));
        var all = await Search(new() { Q = "荆州", Region = "420000" });
        Assert.Equal(4, all.Total);
        Assert.Equal([("421000", "荆州市", 3L), ("421100", "黄冈市", 1L)], all.Facets.Region.Select(f => (f.Value, f.Name, f.Count)));
        Assert.Equal(4, Assert.Single(all.Facets.Level).Count);
        Assert.Equal(("active", 4L), (Assert.Single(all.Facets.Status).Value, all.Facets.Status[0].Count));
        Assert.Equal(["421000", "421100"], all.Facets.Authority.Select(a => a.Value).Order());

        // Pages of one, in each order: every entry once, and the Chinese (pinyin) order by name.
        foreach (var sort in new[] { "relevance", "name", "date" })
        {
            var seen = new List<Entry>();
            var token = "";
            do
            {
                var page = await Search(new() { Q = "荆州", PageSize = 1, Sort = sort, PageToken = token });
                seen.AddRange(page.Entries);
                token = page.NextPageToken;
            } while (token.Length > 0 && seen.Count < 10);
            Assert.Equal(made.Order(), seen.Select(e => e.Id).Order());
            if (sort == "name") Assert.Equal(["黄冈荆州路智能工厂", "荆州二号智能工厂", "荆州三号智能工厂", "荆州一号智能工厂"], seen.Select(e => e.FactoryName));
        }
        var wrong = await AssertStatus(StatusCode.InvalidArgument, () => Search(new() { Q = "荆州", Region = "42", Status = "gone", PageToken = "x" }));
        Assert.Equal(["region", "status", "page_token"], wrong.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task A_renamed_factory_keeps_its_old_name_and_a_revoked_one_stays_a_tombstone_003_第二十条_第二十一条()
    {
        var (recognition, factory, _) = await catalog.RecognizedBasicAsync("420600", "襄阳老名字智能工厂", "襄阳某某有限公司");
        await catalog.CallRegistry<Registry.UpdateFactoryRequest, Registry.Factory>("UpdateFactory", new()
        {
            Id = factory.Id, ExpectedVersion = factory.Version, Name = "襄阳新名字智能工厂", Address = factory.Address, RegionCode = factory.RegionCode,
            IndustryCode = factory.IndustryCode,
        }, catalog.Province);
        var current = await catalog.CallRegistry<Registry.GetRecognitionRequest, Registry.Recognition>("GetRecognition", new() { Id = recognition.Id }, catalog.Province);
        await catalog.CallRegistry<Registry.RevokeRecognitionRequest, Registry.Recognition>("RevokeRecognition",
            new() { Id = recognition.Id, ExpectedVersion = current.Version, Reason = "举报查实：实名举报人王五提供的材料", DataFraud = true }, catalog.City("420600"));
        await catalog.Feed.CatchUpAsync();

        var entry = await Get(recognition.Id);
        Assert.Equal(("襄阳新名字智能工厂", "revoked", true), (entry.FactoryName, entry.Status, entry.Tombstone));
        Assert.Contains("襄阳老名字智能工厂", entry.FormerNames);
        Assert.NotEqual("", entry.EndedOn);
        Assert.Contains("数据造假", entry.EndReason);
        Assert.DoesNotContain("王五", entry.EndReason);
        var byOldName = await Search(new() { Q = "老名字" });
        Assert.Contains(byOldName.Entries, e => e.Id == recognition.Id && e.HighlightedFormerNames.Contains("襄阳<em>老名字</em>智能工厂"));
        Assert.Contains((await Search(new() { Status = "revoked" })).Entries, e => e.Id == recognition.Id);
        // Its list keeps it, with its current status.
        var list = await catalog.CallCatalog<GetListRequest, PublishedList>("GetList", new() { Id = entry.ListIds[0] });
        Assert.Equal("revoked", Assert.Single(list.Entries, e => e.Id == recognition.Id).Status);
        // Nothing once published is NOT_FOUND; a malformed id is INVALID_ARGUMENT.
        await AssertStatus(StatusCode.NotFound, () => Get(Guid.NewGuid().ToString()));
        Assert.Equal("id", Assert.Single((await AssertStatus(StatusCode.InvalidArgument, () => Get("not-an-id"))).FieldViolations).Field);
    }

    [Fact]
    public async Task A_restart_resumes_where_it_stopped_and_a_rebuild_gives_the_same_model()
    {
        await catalog.RecognizedBasicAsync("420100", "重启前智能工厂", "重启前有限公司");
        await catalog.Feed.CatchUpAsync();
        await catalog.RecognizedBasicAsync("420100", "重启后智能工厂", "重启后有限公司");
        await catalog.RestartCatalog();
        Assert.True(await catalog.Feed.CatchUpAsync() > 0);
        Assert.Equal(0, await catalog.Feed.CatchUpAsync()); // applied once: nothing left
        var model = await Model();
        Assert.Contains("重启后智能工厂", model);

        await AssertStatus(StatusCode.PermissionDenied, () => catalog.CallCatalog<RebuildRequest, RebuildResponse>("Rebuild", new(), catalog.City("420100")));
        await AssertStatus(StatusCode.Unauthenticated, () => catalog.CallCatalog<RebuildRequest, RebuildResponse>("Rebuild", new()));
        var rebuilt = await catalog.CallCatalog<RebuildRequest, RebuildResponse>("Rebuild", new(), catalog.Province);
        Assert.True(rebuilt.Entries >= 2 && rebuilt.Lists >= 1);
        Assert.Equal(model, await Model());
        Assert.Equal(1, await catalog.Database.ScalarAsync<int>("select count(*) from catalog.audit_log where action = 'catalog.rebuilt'"));

        var health = JsonDocument.Parse(await catalog.Catalog.HttpClient().GetStringAsync(Extensions.FeedHealthPath)).RootElement;
        Assert.Equal(0, health.GetProperty("lag").GetInt64());
        Assert.Equal(rebuilt.AppliedSequence, health.GetProperty("applied").GetInt64());

        // The same position as metrics, for the exporter (Telemetry adds the SmartFactory.* meters).
        await catalog.Feed.CatchUpAsync();
        var metrics = ReadFeedMetrics();
        Assert.Equal((0L, health.GetProperty("applied").GetInt64()), (metrics[Jobs.FeedMetrics.LagName], metrics[Jobs.FeedMetrics.AppliedName]));
    }

    /// <summary>The catalog host's own feed gauges, read now as an exporter would read them.</summary>
    private Dictionary<string, long> ReadFeedMetrics()
    {
        var meters = catalog.Catalog.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var values = new Dictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Jobs.FeedMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    // The whole read model as text, in a fixed order.
    private Task<string?> Model() => catalog.Database.ScalarAsync<string>("""
        select concat_ws('|',
            (select string_agg(e::text, ',' order by e.id) from catalog.entries e),
            (select string_agg(l::text, ',' order by l.id) from catalog.lists l),
            (select string_agg(m::text, ',' order by m.list_id, m.position) from catalog.list_members m),
            (select string_agg(f::text, ',' order by f.id) from catalog.factories f),
            (select string_agg(n::text, ',' order by n.id) from catalog.enterprises n))
        """);
}
