using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

// The REST shapes of the published catalog (公布名单), as in LifecycleModels: camelCase, levels as snake_case strings,
// dates as "YYYY-MM-DD", absent values as null. Public fields only.

/// <summary>
/// A published recognition: its permalink is <c>/api/v1/catalog/entries/{id}</c>. An ended one (<c>tombstone</c>) keeps
/// answering with its status, <c>endedOn</c> and the public <c>endReason</c>. With a query, the <c>highlighted…</c> names
/// carry each match in &lt;em&gt;…&lt;/em&gt;, HTML-escaped.
/// </summary>
public sealed record CatalogEntryDto(
    string Id, string EnterpriseName, string FactoryName, IReadOnlyList<string> FormerNames, string RegionCode, string RegionName,
    string IndustryCode, string IndustryName, Level Level, int Year, string AuthorityCode, string AuthorityName, string Status, bool Tombstone,
    DateOnly? EffectiveOn, DateOnly? ExpiresOn, DateOnly? CultivationEndsOn, DateOnly? EndedOn, string? EndReason, IReadOnlyList<string> ListIds,
    string? HighlightedEnterpriseName, string? HighlightedFactoryName, IReadOnlyList<string>? HighlightedFormerNames)
{
    public static CatalogEntryDto From(Entry e) => new(e.Id, e.EnterpriseName, e.FactoryName, [.. e.FormerNames], e.RegionCode, e.RegionName,
        e.IndustryCode, e.IndustryName, e.Level, e.Year, e.AuthorityCode, e.AuthorityName, e.Status, e.Tombstone, Wire.Date(e.EffectiveOn),
        Wire.Date(e.ExpiresOn), Wire.Date(e.CultivationEndsOn), Wire.Date(e.EndedOn), Wire.NullIfEmpty(e.EndReason), [.. e.ListIds],
        Wire.NullIfEmpty(e.HighlightedEnterpriseName), Wire.NullIfEmpty(e.HighlightedFactoryName),
        e.HighlightedFormerNames.Count == 0 ? null : [.. e.HighlightedFormerNames]);
}

public sealed record FacetCountDto(string Value, string Name, long Count)
{
    public static IReadOnlyList<FacetCountDto> From(IEnumerable<FacetCount> counts) => [.. counts.Select(c => new FacetCountDto(c.Value, c.Name, c.Count))];
}

/// <summary>How many entries of the search have each value; <c>region</c> counts by city.</summary>
public sealed record CatalogFacetsDto(IReadOnlyList<FacetCountDto> Level, IReadOnlyList<FacetCountDto> Region, IReadOnlyList<FacetCountDto> Industry,
    IReadOnlyList<FacetCountDto> Year, IReadOnlyList<FacetCountDto> Status, IReadOnlyList<FacetCountDto> Authority)
{
    public static CatalogFacetsDto From(Facets f) => new(FacetCountDto.From(f.Level), FacetCountDto.From(f.Region), FacetCountDto.From(f.Industry),
        FacetCountDto.From(f.Year), FacetCountDto.From(f.Status), FacetCountDto.From(f.Authority));
}

public sealed record CatalogSearchDto(IReadOnlyList<CatalogEntryDto> Items, long TotalSize, CatalogFacetsDto Facets, string? NextPageToken);

/// <summary>A list as announced; <c>entries</c> (one list only) in announcement order, each with its current status.</summary>
public sealed record CatalogListDto(
    string Id, string Name, Level Level, int Year, string AuthorityCode, string AuthorityName, DateOnly? PublishedOn, int Batch, string? DocumentNumber,
    int EntryCount, IReadOnlyList<CatalogEntryDto>? Entries)
{
    public static CatalogListDto From(PublishedList l, bool withEntries) => new(l.Id, l.Name, l.Level, l.Year, l.AuthorityCode, l.AuthorityName,
        Wire.Date(l.PublishedOn), l.Batch, Wire.NullIfEmpty(l.DocumentNumber), l.EntryCount, withEntries ? [.. l.Entries.Select(CatalogEntryDto.From)] : null);
}

public sealed record CatalogListsDto(IReadOnlyList<CatalogListDto> Items, string? NextPageToken);
