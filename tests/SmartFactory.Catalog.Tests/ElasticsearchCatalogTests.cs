using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SmartFactory.Catalog.Data;
using SmartFactory.Catalog.Data.Elasticsearch;
using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.TestSupport;
using Registry = SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Catalog.Tests;

/// <summary>
/// The catalog with <c>Catalog:Search:Engine=elasticsearch</c>, fed by the real registry, its cluster a
/// <see cref="FakeElasticsearch"/> that keeps what it is sent: indices, the alias, documents by id. Its _search answers
/// every document it holds (it evaluates no query): what is proven is the plumbing — the feed's changes reach the index,
/// a rebuild swaps the alias, the gRPC search answers from the engine — not which entries a real cluster would find.
/// </summary>
public sealed class ElasticsearchCatalogFixture : CatalogFixture
{
    public FakeElasticsearch Elasticsearch { get; } = new();
    public Dictionary<string, Dictionary<string, JsonNode>> Indices { get; } = [];
    public string? AliasTarget { get; private set; }

    public override async Task InitializeAsync()
    {
        await Elasticsearch.StartAsync();
        Elasticsearch.Answer = Answer;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Elasticsearch.DisposeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings[CatalogSettings.Keys.SearchEngine] = CatalogSettings.Engines.Elasticsearch;
        settings[CatalogSettings.Keys.SearchUrl] = Elasticsearch.Url.ToString();
    }

    private const string Alias = ElasticsearchCatalogIndex.Alias;

    private (int, string?) Answer(FakeElasticsearch.Call call)
    {
        lock (Indices)
        {
            var path = call.Path.TrimStart('/');
            switch (call.Method, path)
            {
                case ("HEAD", "_alias/" + Alias): return (AliasTarget is null ? 404 : 200, null);
                case ("GET", "_alias/" + Alias):
                    return AliasTarget is null ? (404, """{"error":"alias [catalog-entries] missing","status":404}""")
                        : (200, new JsonObject { [AliasTarget] = new JsonObject { ["aliases"] = new JsonObject { [Alias] = new JsonObject() } } }.ToJsonString());
                case ("POST", "_aliases"):
                    foreach (var action in call.Json["actions"]!.AsArray())
                    {
                        if (action!["remove"] is { } remove && remove["index"]!.GetValue<string>() == AliasTarget) AliasTarget = null;
                        if (action["add"] is { } add)
                        {
                            if (AliasTarget is not null) return (400, """{"error":"alias would point to two indices","status":400}""");
                            AliasTarget = add["index"]!.GetValue<string>();
                        }
                    }
                    return (200, """{"acknowledged":true}""");
                case ("PUT", _):
                    if (Indices.ContainsKey(path)) return (400, """{"error":{"type":"resource_already_exists_exception"},"status":400}""");
                    Indices[path] = [];
                    return (200, new JsonObject { ["acknowledged"] = true, ["shards_acknowledged"] = true, ["index"] = path }.ToJsonString());
                case ("DELETE", _):
                    return Indices.Remove(path) ? (200, """{"acknowledged":true}""") : (404, """{"error":"no such index","status":404}""");
                case ("POST", _) when path.EndsWith("/_bulk", StringComparison.Ordinal):
                {
                    var target = path[..^"/_bulk".Length];
                    if (!Indices.TryGetValue(target == Alias ? AliasTarget ?? "" : target, out var documents)) return (404, """{"error":"no such index","status":404}""");
                    var lines = call.Lines;
                    var items = new JsonArray();
                    for (var i = 0; i < lines.Count; i += 2)
                    {
                        var id = lines[i]["index"]!["_id"]!.GetValue<string>();
                        documents[id] = lines[i + 1];
                        items.Add(new JsonObject { ["index"] = new JsonObject { ["_index"] = target, ["_id"] = id, ["result"] = "created", ["status"] = 201 } });
                    }
                    return (200, new JsonObject { ["took"] = 1, ["errors"] = false, ["items"] = items }.ToJsonString());
                }
                case ("POST", Alias + "/_search"):
                {
                    var hits = new JsonArray([.. (AliasTarget is null ? Enumerable.Empty<JsonNode>() : Indices[AliasTarget].Values).Select(d => (JsonNode)new JsonObject
                    {
                        ["_index"] = AliasTarget, ["_id"] = d["id"]!.GetValue<string>(), ["_score"] = 1.0, ["_source"] = d.DeepClone(),
                        ["sort"] = new JsonArray(JsonValue.Create(1.0), JsonValue.Create(d["id"]!.GetValue<string>())),
                    })]);
                    var empty = """{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]}""";
                    return (200, $$"""
                        {"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
                         "hits":{"total":{"value":{{hits.Count}},"relation":"eq"},"max_score":1.0,"hits":{{hits.ToJsonString()}}},
                         "aggregations":{"lterms#level":{{empty}},"sterms#region":{{empty}},"sterms#industry":{{empty}},"lterms#year":{{empty}},
                           "sterms#status":{{empty}},"sterms#authority":{{empty}}}
                        }
                        """);
                }
                default: return (400, $$"""{"error":"the fake does not know {{call.Method}} {{call.Path}}","status":400}""");
            }
        }
    }
}

public sealed class ElasticsearchCatalogTests(ElasticsearchCatalogFixture catalog) : IClassFixture<ElasticsearchCatalogFixture>
{
    private Task<SearchEntriesResponse> Search(SearchEntriesRequest request) =>
        catalog.CallCatalog<SearchEntriesRequest, SearchEntriesResponse>("SearchEntries", request);

    [Fact]
    public async Task The_feed_s_changes_reach_the_index_and_the_public_search_answers_from_it_003_第八条_第十九条()
    {
        Assert.IsType<ElasticsearchCatalogSearch>(catalog.Catalog.Services.GetRequiredService<ICatalogSearch>());
        var (recognition, factory, _) = await catalog.RecognizedBasicAsync("420100", "武汉检索引擎智能工厂", "检索引擎有限公司");
        await catalog.Feed.CatchUpAsync();

        // No alias yet: the first sync built an index from the read model and pointed the alias at it.
        Assert.NotNull(catalog.AliasTarget);
        var create = catalog.Elasticsearch.Calls.First(c => c.Method == "PUT");
        Assert.Equal("cjk", create.Json["mappings"]!["properties"]!["factory_name"]!["analyzer"]!.GetValue<string>());
        var document = catalog.Indices[catalog.AliasTarget!][recognition.Id];
        Assert.Equal(("武汉检索引擎智能工厂", "检索引擎有限公司", "420100", "active"), (document["factory_name"]!.GetValue<string>(),
            document["enterprise_name"]!.GetValue<string>(), document["city_code"]!.GetValue<string>(), document["status"]!.GetValue<string>()));

        // A rename (更名) is written to the alias by bulk, the old name kept as a former name.
        await catalog.CallRegistry<Registry.UpdateFactoryRequest, Registry.Factory>("UpdateFactory", new()
        {
            Id = factory.Id, ExpectedVersion = factory.Version, Name = "武汉新检索智能工厂", Address = factory.Address, RegionCode = factory.RegionCode,
            IndustryCode = factory.IndustryCode,
        }, catalog.Province);
        var before = catalog.Elasticsearch.Calls.Count;
        await catalog.Feed.CatchUpAsync();
        var bulk = Assert.Single(catalog.Elasticsearch.Calls.Skip(before), c => c.Path.EndsWith("/_bulk", StringComparison.Ordinal));
        Assert.Equal("/catalog-entries/_bulk", bulk.Path);
        document = catalog.Indices[catalog.AliasTarget!][recognition.Id];
        Assert.Equal("武汉新检索智能工厂", document["factory_name"]!.GetValue<string>());
        Assert.Contains("武汉检索引擎智能工厂", document["former_names"]!.AsArray().Select(n => n!.GetValue<string>()));

        // The public search goes to the engine; the entry comes back with its lists (from PostgreSQL) and marked names.
        var found = await Search(new() { Q = "检索" });
        var search = catalog.Elasticsearch.Calls.Last(c => c.Path == "/catalog-entries/_search");
        // One clause is sent as an object, not a one-element array (Elasticsearch reads both).
        var must = search.Json["query"]!["bool"]!["must"]!;
        Assert.Equal("检索", (must is JsonArray clauses ? clauses[0]! : must)["multi_match"]!["query"]!.GetValue<string>());
        var entry = Assert.Single(found.Entries, e => e.Id == recognition.Id);
        Assert.Equal(("武汉新检索智能工厂", "武汉新<em>检索</em>智能工厂"), (entry.FactoryName, entry.HighlightedFactoryName));
        Assert.Single(entry.ListIds);
        Assert.Equal(found.Entries.Count, found.Total);
    }

    [Fact]
    public async Task A_rebuild_loads_a_new_index_and_swaps_the_alias_then_deletes_the_old_index()
    {
        var (recognition, _, _) = await catalog.RecognizedBasicAsync("420600", "襄阳重建索引智能工厂", "重建索引有限公司");
        await catalog.Feed.CatchUpAsync();
        var old = catalog.AliasTarget!;

        var rebuilt = await catalog.CallCatalog<RebuildRequest, RebuildResponse>("Rebuild", new(), catalog.Province);

        Assert.True(rebuilt.Entries > 0);
        Assert.NotEqual(old, catalog.AliasTarget);
        Assert.DoesNotContain(old, catalog.Indices.Keys);
        Assert.Equal(rebuilt.Entries, catalog.Indices[catalog.AliasTarget!].Count);
        Assert.True(catalog.Indices[catalog.AliasTarget!].ContainsKey(recognition.Id));
        var swap = catalog.Elasticsearch.Calls.Last(c => c.Path == "/_aliases").Json["actions"]!.AsArray();
        Assert.Equal([$"remove {old}", $"add {catalog.AliasTarget}"], swap.Select(a => a!.AsObject().Single() is var (kind, body) ? $"{kind} {body!["index"]}" : ""));
    }

    [Fact]
    public void An_unknown_engine_or_a_missing_url_stops_the_start()
    {
        var settings = Settings.For(catalog.Database, catalog.Issuer);
        settings[CatalogSettings.Keys.SearchEngine] = "solr";
        var unknown = Assert.ThrowsAny<Exception>(() => new ServiceHost<Program>(settings).Start());
        Assert.Contains("Catalog:Search:Engine must be postgres or elasticsearch, not 'solr'", unknown.ToString());
        settings[CatalogSettings.Keys.SearchEngine] = "elasticsearch";
        var missing = Assert.ThrowsAny<Exception>(() => new ServiceHost<Program>(settings).Start());
        Assert.Contains("Catalog:Search:Url must be the Elasticsearch cluster's address", missing.ToString());
    }
}
