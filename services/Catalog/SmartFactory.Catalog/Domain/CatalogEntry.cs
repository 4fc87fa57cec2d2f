namespace SmartFactory.Catalog.Domain;

/// <summary>An enterprise or factory as the catalog keeps it: its public name and the names it had before a rename (更名).</summary>
public sealed record NamedRecord(Guid Id, string Name, IReadOnlyList<string> FormerNames);

public sealed record FactoryRecord(Guid Id, Guid EnterpriseId, string Name, string RegionCode, string IndustryCode, IReadOnlyList<string> FormerNames);

/// <summary>
/// One published recognition (公布名单 entry) with public fields only (DOMAIN.md "trade secrets": enterprise name,
/// factory name, region, industry, level, year, batch, status). Its id is the recognition's: the permalink. Once
/// published it is never removed; an ended one is a tombstone with its status, date and public reason.
/// </summary>
public sealed record CatalogEntry(
    Guid Id, Guid ApplicationId, Guid FactoryId, Guid EnterpriseId, string EnterpriseName, string FactoryName, IReadOnlyList<string> FormerNames,
    string RegionCode, string RegionName, string CityCode, string CityName, string IndustryCode, string IndustryName, Level Level, int Year,
    string AuthorityCode, string AuthorityName, RecognitionStatus Status, DateOnly? EffectiveOn, DateOnly? ExpiresOn, DateOnly? CultivationEndsOn,
    DateOnly? EndedOn, string EndReason, DateOnly PublishedOn)
{
    public bool Tombstone => Status is not (RecognitionStatus.Active or RecognitionStatus.Cultivating);

    /// <summary>What a query matches: every public name, lower-cased (Latin letters match either case).</summary>
    public string SearchText => string.Join(" ", new[] { EnterpriseName, FactoryName }.Concat(FormerNames).Append(RegionName).Append(CityName)
        .Append(IndustryName).Append(IndustryCode)).ToLowerInvariant();
}

/// <summary>A published list (名单) as announced: by whom, which level and year, which batch, on which day.</summary>
public sealed record PublishedList(Guid Id, string Name, Level Level, int Year, string AuthorityCode, string AuthorityName, DateOnly PublishedOn,
    int Batch, string DocumentNumber, IReadOnlyList<Guid> ApplicationIds);
