using System.Globalization;
using Dapper;
using Npgsql;
using SmartFactory.Catalog.Domain;
using SmartFactory.Kernel;

namespace SmartFactory.Catalog.Data;

/// <summary>
/// The catalog's search in PostgreSQL: each term a substring of the entry's lower-cased public names (search_text), which
/// the pg_trgm GIN index serves for terms of 3 characters or more and a scan of the (small) table for shorter ones, so
/// one Chinese character ("钢") finds as well as a name. Relevance weighs where a term matched: the factory's or the
/// enterprise's name above a former name above region and industry. Names sort in Chinese (pinyin) order by ICU's
/// "zh-x-icu" collation.
/// </summary>
public sealed class PostgresCatalogSearch(NpgsqlDataSource dataSource) : ICatalogSearch
{
    public async Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        var where = new List<string>();
        var score = new List<string>();
        for (var i = 0; i < query.Terms.Count; i++)
        {
            parameters.Add($"t{i}", "%" + Escape(query.Terms[i]) + "%");
            where.Add($"search_text like @t{i}");
            score.Add($"""
                (case when lower(factory_name) like @t{i} then 4 when lower(enterprise_name) like @t{i} then 3
                      when lower(array_to_string(former_names, ' ')) like @t{i} then 2 else 1 end)
                """);
        }
        if (query.Level is { } level) { where.Add("level = @level"); parameters.Add("level", (int)level); }
        if (query.RegionPrefix is { } prefix) { where.Add("region_code like @region"); parameters.Add("region", prefix + "%"); }
        if (query.Industry is { } industry) { where.Add("industry_code = @industry"); parameters.Add("industry", industry); }
        if (query.Year is { } year) { where.Add("year = @year"); parameters.Add("year", year); }
        if (query.Status is { } status) { where.Add("status = @status"); parameters.Add("status", SnakeCase.Name(status)); }
        if (query.Authority is { } authority) { where.Add("authority_code = @authority"); parameters.Add("authority", authority); }
        var filter = where.Count == 0 ? "true" : string.Join(" and ", where);
        var scoreSql = score.Count == 0 ? "0" : string.Join(" + ", score);

        // Keyset: after the last entry of the previous page in this order; id breaks ties.
        var (order, keyset) = query.Sort switch
        {
            SearchSort.Relevance => ("score desc, id", "(score < @key::double precision or (score = @key::double precision and id > @afterId))"),
            SearchSort.Name => ("factory_name collate \"zh-x-icu\", id",
                "((factory_name collate \"zh-x-icu\") > (@key collate \"zh-x-icu\") or (factory_name = @key and id > @afterId))"),
            _ => ("published_on desc, id", "(published_on < @key::date or (published_on = @key::date and id > @afterId))"),
        };
        if (query.After is { } after)
        {
            parameters.Add("key", after.Key);
            parameters.Add("afterId", after.Id);
        }
        parameters.Add("limit", query.PageSize + 1);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<EntryRow>(new CommandDefinition($"""
            with matched as (select *, ({scoreSql})::float8 as score from entries where {filter})
            select {CatalogStore.EntryColumns}, score from matched where {(query.After is null ? "true" : keyset)} order by {order} limit @limit
            """, parameters, cancellationToken: cancellationToken))).ToList();
        var facets = (await connection.QueryAsync<FacetRow>(new CommandDefinition($"""
            select case when grouping(level) = 0 then 'level' when grouping(city_code) = 0 then 'region' when grouping(industry_code) = 0 then 'industry'
                        when grouping(year) = 0 then 'year' when grouping(status) = 0 then 'status' else 'authority' end as Facet,
                   coalesce(level::text, city_code, industry_code, year::text, status, authority_code) as Value,
                   case when grouping(city_code) = 0 then max(city_name) when grouping(industry_code) = 0 then max(industry_name)
                        when grouping(authority_code) = 0 then max(authority_name) else '' end as Name,
                   count(*) as Count
            from entries where {filter}
            group by grouping sets ((level), (city_code), (industry_code), (year), (status), (authority_code))
            """, parameters, cancellationToken: cancellationToken))).ToList();

        var page = rows.Take(query.PageSize).ToList();
        var next = rows.Count > query.PageSize && page[^1] is var last
            ? new SearchCursor(query.Sort, query.Sort switch
            {
                SearchSort.Relevance => last.Score.ToString("R", CultureInfo.InvariantCulture),
                SearchSort.Name => last.FactoryName,
                _ => last.PublishedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }, last.Id)
            : null;
        var total = facets.Where(f => f.Facet == "level").Sum(f => f.Count);
        return new SearchResult([.. page.Select(r => r.ToDomain())], total, Facets(facets), next);
    }

    private static SearchFacets Facets(List<FacetRow> rows)
    {
        IReadOnlyList<FacetCount> Of(string facet, Func<FacetRow, string> name) =>
            [.. rows.Where(r => r.Facet == facet).OrderByDescending(r => r.Count).ThenBy(r => r.Value, StringComparer.Ordinal)
                .Select(r => new FacetCount(r.Value, name(r), r.Count))];
        return new SearchFacets(
            Of("level", r => Projection.Chinese((Level)int.Parse(r.Value, CultureInfo.InvariantCulture))),
            Of("region", r => r.Name), Of("industry", r => r.Name), Of("year", r => r.Value), Of("status", r => r.Value), Of("authority", r => r.Name));
    }

    // LIKE's own characters in a term match themselves.
    private static string Escape(string term) => term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private sealed class FacetRow
    {
        public string Facet { get; init; } = "";
        public string Value { get; init; } = "";
        public string Name { get; init; } = "";
        public long Count { get; init; }
    }
}
