using System.Text.Json;
using System.Text.Json.Nodes;
using SmartFactory.Catalog.Data.Elasticsearch;
using SmartFactory.Catalog.Domain;

namespace SmartFactory.Catalog.Tests;

/// <summary>
/// The Elasticsearch engine's queries, against <see cref="FakeElasticsearch"/>: the _search body the official client sends
/// for a query (multi_match over the names, the filters, the facets' aggregations, the sort, search_after, highlight), and
/// the reading of Elasticsearch's documented answer (hits, total, typed aggregations, sort values, highlights). The answer
/// is canned: which entries a real cluster would find, and in which order, is not tested here.
/// </summary>
public sealed class ElasticsearchSearchTests : IAsyncLifetime
{
    private readonly FakeElasticsearch es = new();
    private ElasticsearchCatalogSearch search = null!;

    public async Task InitializeAsync()
    {
        await es.StartAsync();
        search = new ElasticsearchCatalogSearch(es.Client());
    }

    public async Task DisposeAsync() => await es.DisposeAsync();

    private static readonly CatalogEntry First = ElasticsearchIndexTests.Entry("武汉钢铁智能工厂", "武钢有限公司", ["武汉钢铁公司"]);
    private static readonly CatalogEntry Second = ElasticsearchIndexTests.Entry("武汉钢构数字化车间", "中建钢构武汉有限公司");
    private static readonly CatalogEntry Third = ElasticsearchIndexTests.Entry("武汉特钢智能工厂", "武汉特钢集团", status: RecognitionStatus.Revoked);

    private static string Hit(CatalogEntry e, string sortKey, string? highlight = null) =>
        $$"""{"_index":"catalog-entries-20270320080000000","_id":"{{e.Id}}","_score":1.0,"_source":{{JsonSerializer.Serialize(EntryDocument.From(e))}},"sort":[{{sortKey}},"{{e.Id}}"]{{(highlight is null ? "" : ",\"highlight\":" + highlight)}}}""";

    private static string Terms(string type, params (string Key, long Count, string? Name)[] buckets)
    {
        static string Bucket(string type, string key, long count, string? name)
        {
            var bucket = new JsonObject { ["key"] = type == "lterms" ? JsonValue.Create(long.Parse(key)) : JsonValue.Create(key), ["doc_count"] = count };
            if (name is not null) bucket["sterms#name"] = JsonNode.Parse(Terms("sterms", (name, count, null)));
            return bucket.ToJsonString();
        }
        return """{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[""" + string.Join(",", buckets.Select(b => Bucket(type, b.Key, b.Count, b.Name))) + "]}";
    }

    /// <summary>A _search answer as documented (typed_keys: each aggregation named by its type).</summary>
    private static string Answer(long total, params string[] hits) => $$"""
        {"took":4,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
         "hits":{"total":{"value":{{total}},"relation":"eq"},"max_score":null,"hits":[{{string.Join(",", hits)}}]},
         "aggregations":{
           "lterms#level":{{Terms("lterms", ("1", 2, null), ("2", 1, null))}},
           "sterms#region":{{Terms("sterms", ("420100", 3, "武汉市"))}},
           "sterms#industry":{{Terms("sterms", ("31", 3, "黑色金属冶炼和压延加工业"))}},
           "lterms#year":{{Terms("lterms", ("2027", 3, null))}},
           "sterms#status":{{Terms("sterms", ("active", 2, null), ("revoked", 1, null))}},
           "sterms#authority":{{Terms("sterms", ("420100", 3, "武汉市"))}}
         }
        }
        """;

    private JsonNode SearchBody() => es.Calls.Single(c => c.Path == "/catalog-entries/_search").Json;

    [Fact]
    public async Task A_query_is_one_phrase_multi_match_per_term_over_the_names_and_every_filter_a_non_scoring_filter_003_第九条_第十一条_第十九条()
    {
        es.Answer = _ => (200, Answer(0));
        var query = SearchQuery.Parse("武汉 钢", 1, "420100", "31", 2027, "active", "420100", null, 2, null);
        var result = await search.SearchAsync(query, CancellationToken.None);

        var call = es.Calls.Single();
        Assert.Equal(("POST", "/catalog-entries/_search"), (call.Method, call.Path));
        Assert.Contains("typed_keys=true", call.Query);
        var body = call.Json;
        var must = body["query"]!["bool"]!["must"]!.AsArray();
        Assert.Equal(["武汉", "钢"], must.Select(m => m!["multi_match"]!["query"]!.GetValue<string>()));
        Assert.All(must, m => Assert.Equal("phrase", m!["multi_match"]!["type"]!.GetValue<string>()));
        // The former names (更名) are searched as the current ones are; one character ("钢", no bigram) on the .chars sub-fields.
        Assert.Equal(["factory_name^4", "enterprise_name^3", "former_names^2", "region_name", "city_name", "industry_name", "industry_code"],
            must[0]!["multi_match"]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(["factory_name.chars^4", "enterprise_name.chars^3", "former_names.chars^2", "region_name.chars", "city_name.chars", "industry_name.chars",
            "industry_code"], must[1]!["multi_match"]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        var filters = body["query"]!["bool"]!["filter"]!.AsArray().Select(f => f!.ToJsonString()).ToList();
        Assert.Equal([
            """{"term":{"level":{"value":1}}}""", """{"prefix":{"region_code":{"value":"4201"}}}""", """{"term":{"industry_code":{"value":"31"}}}""",
            """{"term":{"year":{"value":2027}}}""", """{"term":{"status":{"value":"active"}}}""", """{"term":{"authority_code":{"value":"420100"}}}""",
        ], filters);
        Assert.Equal(3, body["size"]!.GetValue<int>()); // the page and one more
        Assert.True(body["track_total_hits"]!.GetValue<bool>());
        Assert.Equal("""[{"_score":{"order":"desc"}},{"id":{"order":"asc"}}]""", body["sort"]!.ToJsonString());
        Assert.Null(body["search_after"]);

        // A terms aggregation per facet; region, industry and authority carry their names as a one-bucket sub-aggregation.
        var aggs = body["aggregations"] ?? body["aggs"];
        Assert.Equal(("level", "city_code", "industry_code", "year", "status", "authority_code"),
            (Field(aggs!, "level"), Field(aggs!, "region"), Field(aggs!, "industry"), Field(aggs!, "year"), Field(aggs!, "status"), Field(aggs!, "authority")));
        Assert.Equal("city_name.raw", (aggs!["region"]!["aggregations"] ?? aggs["region"]!["aggs"])!["name"]!["terms"]!["field"]!.GetValue<string>());
        Assert.Equal(ElasticsearchCatalogSearch.FacetSize, aggs["region"]!["terms"]!["size"]!.GetValue<int>());

        var highlight = body["highlight"]!;
        Assert.Equal(("<em>", "</em>", "html", 0), (highlight["pre_tags"]![0]!.GetValue<string>(), highlight["post_tags"]![0]!.GetValue<string>(),
            highlight["encoder"]!.GetValue<string>(), highlight["number_of_fragments"]!.GetValue<int>()));
        Assert.Equal(["enterprise_name", "factory_name", "former_names"], highlight["fields"]!.AsArray().Select(f => f!.AsObject().Single().Key));

        Assert.Empty(result.Entries);
        Assert.Null(result.Next);
    }

    private static string Field(JsonNode aggs, string name) => aggs[name]!["terms"]!["field"]!.GetValue<string>();

    [Fact]
    public async Task The_answer_gives_entries_total_facets_highlights_and_a_search_after_cursor_003_第八条()
    {
        es.Answer = _ => (200, Answer(3,
            Hit(First, "7.5", """{"factory_name":["<em>武汉</em><em>钢</em>铁智能工厂"],"former_names":["<em>武汉</em><em>钢</em>铁公司"]}"""),
            Hit(Second, "3.25", """{"factory_name":["<em>武汉</em><em>钢</em>构数字化车间"]}"""),
            Hit(Third, "1.5")));
        var query = SearchQuery.Parse("武汉 钢", 0, null, null, 0, null, null, null, 2, null);

        var result = await search.SearchAsync(query, CancellationToken.None);

        Assert.Equal([First.Id, Second.Id], result.Entries.Select(e => e.Id)); // the third tells only that there is a next page
        var read = result.Entries[0];
        Assert.Equal(First with { FormerNames = read.FormerNames }, read); // every field read back from _source
        Assert.Equal(First.FormerNames, read.FormerNames);
        Assert.Equal(3, result.Total);
        Assert.Equal([new FacetCount("1", "基础级", 2), new FacetCount("2", "先进级", 1)], result.Facets.Level);
        Assert.Equal([new FacetCount("420100", "武汉市", 3)], result.Facets.Region);
        Assert.Equal([new FacetCount("31", "黑色金属冶炼和压延加工业", 3)], result.Facets.Industry);
        Assert.Equal([new FacetCount("2027", "2027", 3)], result.Facets.Year);
        Assert.Equal([new FacetCount("active", "active", 2), new FacetCount("revoked", "revoked", 1)], result.Facets.Status);
        Assert.Equal([new FacetCount("420100", "武汉市", 3)], result.Facets.Authority);
        Assert.Equal("<em>武汉</em><em>钢</em>铁智能工厂", result.Highlights[First.Id].FactoryName);
        Assert.Null(result.Highlights[First.Id].EnterpriseName);
        Assert.Equal(["<em>武汉</em><em>钢</em>铁公司"], result.Highlights[First.Id].FormerNames!);
        Assert.Equal(new SearchCursor(SearchSort.Relevance, "3.25", Second.Id), result.Next);

        // The next page: search_after the last hit's sort values, the id breaking ties.
        es.Clear();
        es.Answer = _ => (200, Answer(3, Hit(Third, "1.5")));
        var next = await search.SearchAsync(SearchQuery.Parse("武汉 钢", 0, null, null, 0, null, null, null, 2, result.Next!.Encode()), CancellationToken.None);
        Assert.Equal($$"""[3.25,"{{Second.Id}}"]""", SearchBody()["search_after"]!.ToJsonString());
        var tombstone = Assert.Single(next.Entries);
        Assert.Equal((Third.Id, RecognitionStatus.Revoked, "重大安全事故", Third.EndedOn), (tombstone.Id, tombstone.Status, tombstone.EndReason, tombstone.EndedOn));
        Assert.Null(next.Next);
    }

    [Fact]
    public async Task Name_and_date_orders_sort_on_keywords_and_page_on_their_own_sort_values()
    {
        es.Answer = _ => (200, Answer(2, Hit(First, "\"武汉钢铁智能工厂\""), Hit(Second, "\"武汉钢构数字化车间\"")));
        var byName = await search.SearchAsync(SearchQuery.Parse("", 0, null, null, 0, null, null, "name", 1, null), CancellationToken.None);
        var body = SearchBody();
        Assert.Equal("""[{"factory_name.raw":{"order":"asc"}},{"id":{"order":"asc"}}]""", body["sort"]!.ToJsonString());
        Assert.Null(body["highlight"]); // no terms, nothing to mark
        Assert.Empty(body["query"]!["bool"]!["must"]?.AsArray() ?? []);
        Assert.Equal(new SearchCursor(SearchSort.Name, "武汉钢铁智能工厂", First.Id), byName.Next);

        es.Clear();
        es.Answer = _ => (200, Answer(2, Hit(First, "1805500800000"), Hit(Second, "1805500800000")));
        var byDate = await search.SearchAsync(SearchQuery.Parse("", 0, null, null, 0, null, null, "date", 1, null), CancellationToken.None);
        Assert.Equal("""[{"published_on":{"order":"desc"}},{"id":{"order":"asc"}}]""", SearchBody()["sort"]!.ToJsonString());
        Assert.Equal(new SearchCursor(SearchSort.Date, "1805500800000", First.Id), byDate.Next);

        es.Clear();
        await search.SearchAsync(SearchQuery.Parse("", 0, null, null, 0, null, null, "date", 1, byDate.Next!.Encode()), CancellationToken.None);
        Assert.Equal($$"""[1805500800000,"{{First.Id}}"]""", SearchBody()["search_after"]!.ToJsonString());
    }

    [Fact]
    public async Task A_failing_cluster_is_an_error_of_the_engine_not_an_empty_answer()
    {
        es.Answer = _ => (503, """{"error":{"root_cause":[],"type":"search_phase_execution_exception","reason":"all shards failed"},"status":503}""");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            search.SearchAsync(SearchQuery.Parse("钢", 0, null, null, 0, null, null, null, 0, null), CancellationToken.None));
        Assert.Contains("all shards failed", error.Message);
    }
}
