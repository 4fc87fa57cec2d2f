using System.Globalization;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Aggregations;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.QueryDsl;
using SmartFactory.Catalog.Domain;
using SmartFactory.Kernel;

namespace SmartFactory.Catalog.Data.Elasticsearch;

/// <summary>
/// The catalog's search in Elasticsearch, for scale: every term a multi_match (phrase, so the cjk analyzer's bigrams must
/// follow each other; a one-character term on the .chars sub-fields) over the names, boosted as PostgreSQL weighs them (factory 4, enterprise 3, former names 2, region and
/// industry 1); the filters as term/prefix filters, which do not score; a terms aggregation per facet; search_after on
/// the sort values with the id as tie-breaker; the names highlighted by Elasticsearch.
/// </summary>
public sealed class ElasticsearchCatalogSearch(ElasticsearchClient client) : ICatalogSearch
{
    public const int FacetSize = 200;

    private static readonly string[] NameFields =
        ["factory_name^4", "enterprise_name^3", "former_names^2", "region_name", "city_name", "industry_name", "industry_code"];

    private static readonly string[] CharFields =
        ["factory_name.chars^4", "enterprise_name.chars^3", "former_names.chars^2", "region_name.chars", "city_name.chars", "industry_name.chars", "industry_code"];

    public async Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var response = await client.SearchAsync<EntryDocument>(Request(query), cancellationToken);
        if (!response.IsValidResponse) throw new InvalidOperationException("Elasticsearch search failed: " + response.DebugInformation);
        var hits = response.Hits.ToList();
        var page = hits.Take(query.PageSize).ToList();
        var next = hits.Count > query.PageSize && page[^1] is var last ? new SearchCursor(query.Sort, Key(last), Guid.Parse(last.Id!)) : null;
        var highlights = page.Where(h => h.Highlight is { Count: > 0 }).ToDictionary(h => Guid.Parse(h.Id!), h => new EntryHighlight(
            First(h.Highlight!, "enterprise_name"), First(h.Highlight!, "factory_name"),
            h.Highlight!.TryGetValue("former_names", out var former) ? [.. former] : null));
        return new SearchResult([.. page.Select(h => h.Source!.ToDomain())], response.Total, Facets(response.Aggregations), next)
        {
            Highlights = highlights,
        };
    }

    /// <summary>The _search request of a query (public for the tests, which assert what is sent).</summary>
    public static SearchRequest Request(SearchQuery query)
    {
        var filters = new List<Query>();
        if (query.Level is { } level) filters.Add(new TermQuery { Field = "level", Value = (int)level });
        if (query.RegionPrefix is { } prefix) filters.Add(new PrefixQuery { Field = "region_code", Value = prefix });
        if (query.Industry is { } industry) filters.Add(new TermQuery { Field = "industry_code", Value = industry });
        if (query.Year is { } year) filters.Add(new TermQuery { Field = "year", Value = year });
        if (query.Status is { } status) filters.Add(new TermQuery { Field = "status", Value = SnakeCase.Name(status) });
        if (query.Authority is { } authority) filters.Add(new TermQuery { Field = "authority_code", Value = authority });
        // One character is no bigram: it is matched on the .chars sub-fields, which keep single characters.
        var must = query.Terms.Select(t => (Query)new MultiMatchQuery
        {
            Query = t, Fields = t.Length == 1 ? CharFields : NameFields, Type = TextQueryType.Phrase,
        }).ToList();

        var request = new SearchRequest(ElasticsearchCatalogIndex.Alias)
        {
            Query = new BoolQuery { Must = must, Filter = filters },
            Size = query.PageSize + 1, // one more tells whether there is a next page
            TrackTotalHits = new TrackHits(true),
            Sort = query.Sort switch
            {
                SearchSort.Relevance => [new SortOptions { Score = new ScoreSort { Order = SortOrder.Desc } }, Field("id", SortOrder.Asc)],
                SearchSort.Name => [Field("factory_name.raw", SortOrder.Asc), Field("id", SortOrder.Asc)],
                _ => [Field("published_on", SortOrder.Desc), Field("id", SortOrder.Asc)],
            },
            Aggregations = new Dictionary<string, Aggregation>
            {
                ["level"] = Terms("level"), ["region"] = Terms("city_code", "city_name.raw"), ["industry"] = Terms("industry_code", "industry_name.raw"),
                ["year"] = Terms("year"), ["status"] = Terms("status"), ["authority"] = Terms("authority_code", "authority_name.raw"),
            },
            Highlight = query.Terms.Count == 0 ? null : new Elastic.Clients.Elasticsearch.Core.Search.Highlight
            {
                PreTags = ["<em>"], PostTags = ["</em>"], Encoder = HighlighterEncoder.Html, NumberOfFragments = 0,
                Fields = new Dictionary<Field, HighlightField> { ["enterprise_name"] = new(), ["factory_name"] = new(), ["former_names"] = new() },
            },
        };
        if (query.After is { } after)
            request.SearchAfter = [query.Sort switch
            {
                SearchSort.Relevance => FieldValue.Double(double.Parse(after.Key, CultureInfo.InvariantCulture)),
                SearchSort.Name => FieldValue.String(after.Key),
                _ => FieldValue.Long(long.Parse(after.Key, CultureInfo.InvariantCulture)),
            }, FieldValue.String(after.Id.ToString())];
        return request;
    }

    private static SortOptions Field(string field, SortOrder order) => new() { Field = new FieldSort { Field = field, Order = order } };

    /// <summary>A facet's counts; where the facet has a name (region, industry, authority), the name as a one-bucket sub-aggregation.</summary>
    private static Aggregation Terms(string field, string? nameField = null)
    {
        var terms = new Aggregation { Terms = new TermsAggregation { Field = field, Size = FacetSize } };
        if (nameField is not null)
            terms.Aggregations = new Dictionary<string, Aggregation> { ["name"] = new() { Terms = new TermsAggregation { Field = nameField, Size = 1 } } };
        return terms;
    }

    // The hit's first sort value, as search_after must send it back: a score, a name, a date's epoch milliseconds.
    private static string Key(Hit<EntryDocument> hit)
    {
        var value = hit.Sort!.First();
        return value.TryGetLong(out var l) ? l.Value.ToString(CultureInfo.InvariantCulture)
            : value.TryGetDouble(out var d) ? d.Value.ToString("R", CultureInfo.InvariantCulture)
            : value.TryGetString(out var s) ? s : throw new InvalidOperationException("unexpected sort value " + value);
    }

    private static string? First(IReadOnlyDictionary<string, IReadOnlyCollection<string>> highlight, string field) =>
        highlight.TryGetValue(field, out var fragments) ? fragments.FirstOrDefault() : null;

    private static SearchFacets Facets(AggregateDictionary? aggregations)
    {
        IReadOnlyList<FacetCount> Of(string name, Func<string, string>? display = null)
        {
            var buckets = aggregations?.GetValueOrDefault(name) switch
            {
                StringTermsAggregate s => s.Buckets.Select(b => (Value: b.Key.ToString(), Name: NameOf(b.Aggregations), b.DocCount)),
                LongTermsAggregate l => l.Buckets.Select(b => (Value: b.Key.ToString(CultureInfo.InvariantCulture), Name: "", b.DocCount)),
                _ => [],
            };
            return [.. buckets.OrderByDescending(b => b.DocCount).ThenBy(b => b.Value, StringComparer.Ordinal)
                .Select(b => new FacetCount(b.Value, display?.Invoke(b.Value) ?? b.Name, b.DocCount))];
        }
        return new SearchFacets(Of("level", v => Projection.Chinese((Domain.Level)int.Parse(v, CultureInfo.InvariantCulture))), Of("region"), Of("industry"),
            Of("year", v => v), Of("status", v => v), Of("authority"));
    }

    private static string NameOf(AggregateDictionary? sub) =>
        sub?.GetValueOrDefault("name") is StringTermsAggregate names && names.Buckets.FirstOrDefault() is { } bucket ? bucket.Key.ToString() : "";
}
