using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// REST/JSON for the published catalog (公布名单) under /api/v1/catalog, each route one CatalogService call, all public
/// (no token): search, the permalink of an entry, the lists as announced.
/// </summary>
public static class CatalogEndpoints
{
    private const string Tag = "Catalog";

    public static void MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapPublicApiV1(Tag);

        api.MapGet("/catalog/entries", async (CatalogClient catalog, string? q, string? level, string? region, string? industry, int? year, string? status,
            string? authority, string? sort, int? pageSize, string? pageToken) =>
        {
            var problems = new List<ProblemField>();
            var request = new Contracts.Catalog.V1.SearchEntriesRequest
            {
                Q = q ?? "", Level = Wire.Filter<Level>(level, "level", problems), Region = region ?? "", Industry = industry ?? "", Year = year ?? 0,
                Status = status ?? "", Authority = authority ?? "", Sort = sort ?? "", PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            };
            if (problems.Count > 0) return Problems.BadRequest([.. problems]);
            var response = await catalog.SearchEntriesAsync(request);
            return Results.Ok(new CatalogSearchDto([.. response.Entries.Select(CatalogEntryDto.From)], response.Total, CatalogFacetsDto.From(response.Facets),
                Wire.NullIfEmpty(response.NextPageToken)));
        }).WithName("SearchCatalog").Produces<CatalogSearchDto>().ProducesProblem(StatusCodes.Status400BadRequest);

        // A permalink: once published, always 200 (an ended entry as a tombstone); 404 only for what was never published.
        api.MapGet("/catalog/entries/{id}", async (CatalogClient catalog, string id) =>
            Results.Ok(CatalogEntryDto.From(await catalog.GetEntryAsync(new() { Id = id }))))
            .WithName("GetCatalogEntry").Produces<CatalogEntryDto>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/catalog/lists", async (CatalogClient catalog, int? year, string? level, int? pageSize, string? pageToken) =>
        {
            var problems = new List<ProblemField>();
            var request = new Contracts.Catalog.V1.ListListsRequest
            {
                Year = year ?? 0, Level = Wire.Filter<Level>(level, "level", problems), PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            };
            if (problems.Count > 0) return Problems.BadRequest([.. problems]);
            var response = await catalog.ListListsAsync(request);
            return Results.Ok(new CatalogListsDto([.. response.Lists.Select(l => CatalogListDto.From(l, withEntries: false))], Wire.NullIfEmpty(response.NextPageToken)));
        }).WithName("ListCatalogLists").Produces<CatalogListsDto>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/catalog/lists/{id}", async (CatalogClient catalog, string id) =>
            Results.Ok(CatalogListDto.From(await catalog.GetListAsync(new() { Id = id }), withEntries: true)))
            .WithName("GetCatalogList").Produces<CatalogListDto>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
