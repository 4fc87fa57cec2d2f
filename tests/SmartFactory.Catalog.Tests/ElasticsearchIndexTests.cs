using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SmartFactory.Catalog.Data.Elasticsearch;
using SmartFactory.Catalog.Domain;
using SmartFactory.Kernel;
using SmartFactory.TestSupport;

namespace SmartFactory.Catalog.Tests;

/// <summary>
/// The Elasticsearch engine's writes, against <see cref="FakeElasticsearch"/>: the requests the official client sends for
/// the index (mapping), the bulk load and the alias swap, and how it reads the documented answers. No cluster runs here.
/// </summary>
public sealed class ElasticsearchIndexTests : IAsyncLifetime
{
    private readonly FakeElasticsearch es = new();
    private readonly TestClock clock = new(new DateTimeOffset(2027, 3, 20, 8, 0, 0, TimeSpan.Zero));
    private ElasticsearchCatalogIndex index = null!;

    public async Task InitializeAsync()
    {
        await es.StartAsync();
        index = new ElasticsearchCatalogIndex(es.Client(), clock, NullLogger<ElasticsearchCatalogIndex>.Instance);
    }

    public async Task DisposeAsync() => await es.DisposeAsync();

    public static CatalogEntry Entry(string factory, string enterprise, IReadOnlyList<string>? former = null, RecognitionStatus status = RecognitionStatus.Active) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), enterprise, factory, former ?? [], "420102", "江岸区", "420100", "武汉市", "31",
            "黑色金属冶炼和压延加工业", Level.Basic, 2027, "420100", "武汉市", status, new DateOnly(2027, 3, 20), new DateOnly(2030, 3, 20), null,
            status == RecognitionStatus.Active ? null : new DateOnly(2028, 5, 1), status == RecognitionStatus.Active ? "" : "重大安全事故", new DateOnly(2027, 3, 20));

    private const string Old = "catalog-entries-20270101000000-0a1b2c3d";

    /// <summary>The index the last rebuild created (its name: the build's time, then a random part).</summary>
    private string NewIndex => es.Calls.Last(c => c.Method == "PUT").Path[1..];

    /// <summary>Elasticsearch's documented answers; the alias on <paramref name="old"/> (or missing), the bulk as <paramref name="bulkErrors"/>.</summary>
    private void Cluster(string? old, bool bulkErrors = false) => es.Answer = call => (call.Method, call.Path) switch
    {
        ("HEAD", "/_alias/catalog-entries") => (old is null ? 404 : 200, null),
        ("GET", "/_alias/catalog-entries") => old is null
            ? (404, """{"error":"alias [catalog-entries] missing","status":404}""")
            : (200, "{\"" + old + "\":" + """{"aliases":{"catalog-entries":{}}}}"""),
        ("PUT", var p) when p.StartsWith("/catalog-entries-", StringComparison.Ordinal) =>
            (200, $$"""{"acknowledged":true,"shards_acknowledged":true,"index":"{{p[1..]}}"}"""),
        ("POST", var p) when p.EndsWith("/_bulk", StringComparison.Ordinal) => (200, Bulk(call, bulkErrors)),
        ("POST", "/_aliases") => (200, """{"acknowledged":true}"""),
        ("DELETE", _) => (200, """{"acknowledged":true}"""),
        _ => (400, $$"""{"error":"unexpected {{call.Method}} {{call.Path}}","status":400}"""),
    };

    private static string Bulk(FakeElasticsearch.Call call, bool errors)
    {
        var items = call.Lines.Where(l => l["index"] is not null).Select(l => l["index"]!["_id"]!.GetValue<string>()).Select(id => errors
            ? """{"index":{"_index":"x","_id":""" + $"\"{id}\"" + ""","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [year]"}}}"""
            : $$$"""{"index":{"_index":"x","_id":"{{{id}}}","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"status":201,"_seq_no":0,"_primary_term":1}}""");
        return $$"""{"took":3,"errors":{{(errors ? "true" : "false")}},"items":[{{string.Join(",", items)}}]}""";
    }

    // An object's JSON with its keys in order (the client's own order is no contract).
    private static string Sorted(JsonNode node) =>
        new JsonObject(node.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString();

    private static async IAsyncEnumerable<CatalogEntry> Stream(IEnumerable<CatalogEntry> entries)
    {
        foreach (var e in entries) { await Task.Yield(); yield return e; }
    }

    [Fact]
    public async Task A_rebuild_creates_a_cjk_index_bulk_loads_it_and_swaps_the_alias_in_one_call_then_deletes_the_old_003_第八条()
    {
        Cluster(old: Old);
        var entries = Enumerable.Range(0, ElasticsearchCatalogIndex.BulkSize + 2).Select(i => Entry($"武汉钢铁智能工厂{i}", "武钢有限公司", ["武汉钢铁公司"])).ToList();

        var built = await index.RebuildAsync(Stream(entries), CancellationToken.None);

        Assert.Equal(NewIndex, built);
        Assert.Matches("^catalog-entries-20270320080000-[0-9a-f]{8}$", built);
        var calls = es.Calls;
        Assert.Equal(["PUT /" + NewIndex, "POST /" + NewIndex + "/_bulk", "POST /" + NewIndex + "/_bulk", "GET /_alias/catalog-entries", "POST /_aliases",
            "DELETE /" + Old], calls.Select(c => $"{c.Method} {c.Path}"));

        // The mapping: names through the built-in cjk analyzer with a keyword sub-field; filters and sorts on keywords and numbers.
        var properties = calls[0].Json["mappings"]!["properties"]!;
        foreach (var text in new[] { "enterprise_name", "factory_name", "former_names", "region_name", "city_name", "industry_name", "authority_name" })
        {
            Assert.Equal("text", properties[text]!["type"]!.GetValue<string>());
            Assert.Equal("cjk", properties[text]!["analyzer"]!.GetValue<string>());
            Assert.Equal("keyword", properties[text]!["fields"]!["raw"]!["type"]!.GetValue<string>());
            Assert.Equal(ElasticsearchCatalogIndex.CharsAnalyzer, properties[text]!["fields"]!["chars"]!["analyzer"]!.GetValue<string>());
        }
        // cjk indexes bigrams only; the .chars analyzer is its chain with the unigrams kept, for one-character terms.
        var analysis = calls[0].Json["settings"]!["analysis"]!;
        Assert.Equal("""{"filter":["cjk_width","lowercase","cjk_bigram_unigrams"],"tokenizer":"standard","type":"custom"}""",
            Sorted(analysis["analyzer"]![ElasticsearchCatalogIndex.CharsAnalyzer]!));
        Assert.Equal("""{"output_unigrams":true,"type":"cjk_bigram"}""", Sorted(analysis["filter"]!["cjk_bigram_unigrams"]!));
        foreach (var keyword in new[] { "id", "region_code", "city_code", "industry_code", "authority_code", "status" })
            Assert.Equal("keyword", properties[keyword]!["type"]!.GetValue<string>());
        Assert.Equal(("integer", "integer", "date"), (properties["level"]!["type"]!.GetValue<string>(), properties["year"]!["type"]!.GetValue<string>(),
            properties["published_on"]!["type"]!.GetValue<string>()));
        Assert.Equal("strict", calls[0].Json["mappings"]!["dynamic"]!.GetValue<string>());

        // The bulk: an index action with the entry's id, then its public fields only; 1000 a request.
        var first = calls[1].Lines;
        Assert.Equal(2 * ElasticsearchCatalogIndex.BulkSize, first.Count);
        Assert.Equal(4, calls[2].Lines.Count);
        Assert.Equal(entries[0].Id.ToString(), first[0]["index"]!["_id"]!.GetValue<string>());
        var document = first[1];
        Assert.Equal(("武汉钢铁智能工厂0", "武钢有限公司", "武汉钢铁公司", "420102", "active", 1, "2027-03-20"),
            (document["factory_name"]!.GetValue<string>(), document["enterprise_name"]!.GetValue<string>(), document["former_names"]![0]!.GetValue<string>(),
             document["region_code"]!.GetValue<string>(), document["status"]!.GetValue<string>(), document["level"]!.GetValue<int>(),
             document["published_on"]!.GetValue<string>()));
        Assert.Null(document["search_text"]);

        // The swap: one _aliases request, remove from the old index and add to the new, so searches never miss the alias.
        var actions = calls[4].Json["actions"]!.AsArray();
        Assert.Equal(2, actions.Count);
        Assert.Equal((Old, "catalog-entries"), (actions[0]!["remove"]!["index"]!.GetValue<string>(), actions[0]!["remove"]!["alias"]!.GetValue<string>()));
        Assert.Equal((NewIndex, "catalog-entries"), (actions[1]!["add"]!["index"]!.GetValue<string>(), actions[1]!["add"]!["alias"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_first_build_adds_the_alias_and_deletes_nothing()
    {
        Cluster(old: null);
        await index.RebuildAsync(Stream([Entry("襄阳汽车零部件工厂", "东风零部件公司")]), CancellationToken.None);

        var calls = es.Calls;
        Assert.DoesNotContain(calls, c => c.Method == "DELETE");
        var actions = calls.Single(c => c.Path == "/_aliases").Json["actions"]!.AsArray();
        Assert.Equal(NewIndex, Assert.Single(actions)!["add"]!["index"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changes_are_written_to_the_alias_and_a_start_without_an_index_builds_one_first_003_第十九条()
    {
        Cluster(old: null);
        var all = new[] { Entry("武汉钢铁智能工厂", "武钢有限公司") };
        await index.SyncAsync([], () => Stream(all), CancellationToken.None);
        Assert.Contains(es.Calls, c => c.Method == "PUT"); // no alias: built from the read model
        Assert.Contains(es.Calls, c => c.Path == "/_aliases");

        Cluster(old: NewIndex);
        es.Clear();
        var renamed = all[0] with { FactoryName = "武汉宝武智能工厂", FormerNames = ["武汉钢铁智能工厂"] };
        await index.SyncAsync([renamed], () => throw new InvalidOperationException("no rebuild expected"), CancellationToken.None);

        var bulk = Assert.Single(es.Calls);
        Assert.Equal(("POST", "/catalog-entries/_bulk"), (bulk.Method, bulk.Path));
        Assert.Equal(renamed.Id.ToString(), bulk.Lines[0]["index"]!["_id"]!.GetValue<string>());
        Assert.Equal(("武汉宝武智能工厂", "武汉钢铁智能工厂"), (bulk.Lines[1]["factory_name"]!.GetValue<string>(), bulk.Lines[1]["former_names"]![0]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_refused_write_fails_the_page_and_the_next_sync_rebuilds_from_the_read_model()
    {
        Cluster(old: Old);
        await index.SyncAsync([], () => throw new InvalidOperationException("no rebuild expected"), CancellationToken.None);

        Cluster(old: Old, bulkErrors: true);
        var entry = Entry("武汉钢铁智能工厂", "武钢有限公司");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => index.SyncAsync([entry], () => Stream([entry]), CancellationToken.None));
        Assert.Contains("failed to parse field [year]", error.Message);

        Cluster(old: Old);
        es.Clear();
        await index.SyncAsync([], () => Stream([entry]), CancellationToken.None);
        Assert.Equal(["PUT", "POST", "GET", "POST", "DELETE"], es.Calls.Select(c => c.Method)); // the whole rebuild, swap included
        Assert.Equal(entry.Id.ToString(), es.Calls[1].Lines[0]["index"]!["_id"]!.GetValue<string>());
    }
}
