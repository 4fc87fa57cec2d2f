using SmartFactory.Catalog.Domain;
using SmartFactory.Kernel;
using V1 = SmartFactory.Contracts.Catalog.V1;

namespace SmartFactory.Catalog.Grpc;

internal static class Mapping
{
    public static V1.Entry ToMessage(this CatalogEntry e, IEnumerable<Guid> listIds, IReadOnlyList<string>? terms = null,
        EntryHighlight? highlight = null)
    {
        var message = new V1.Entry
        {
            Id = e.Id.ToString(), EnterpriseName = e.EnterpriseName, FactoryName = e.FactoryName, FormerNames = { e.FormerNames },
            RegionCode = e.RegionCode, RegionName = e.RegionName, IndustryCode = e.IndustryCode, IndustryName = e.IndustryName,
            Level = (Contracts.Registry.V1.Level)e.Level, Year = e.Year, AuthorityCode = e.AuthorityCode, AuthorityName = e.AuthorityName,
            Status = SnakeCase.Name(e.Status), EffectiveOn = Iso(e.EffectiveOn), ExpiresOn = Iso(e.ExpiresOn), CultivationEndsOn = Iso(e.CultivationEndsOn),
            EndedOn = Iso(e.EndedOn), EndReason = e.EndReason, Tombstone = e.Tombstone, ListIds = { listIds.Select(id => id.ToString()) },
        };
        if (terms is { Count: > 0 })
        {
            message.HighlightedEnterpriseName = highlight?.EnterpriseName ?? Highlight.Mark(e.EnterpriseName, terms);
            message.HighlightedFactoryName = highlight?.FactoryName ?? Highlight.Mark(e.FactoryName, terms);
            // The engine returns only the former names it matched: each keeps its place among the others.
            message.HighlightedFormerNames.Add(e.FormerNames.Select(n =>
                highlight?.FormerNames?.FirstOrDefault(h => Highlight.Unmark(h) == n) ?? Highlight.Mark(n, terms)));
        }
        return message;
    }

    public static V1.PublishedList ToMessage(this PublishedList l, int count) => new()
    {
        Id = l.Id.ToString(), Name = l.Name, Level = (Contracts.Registry.V1.Level)l.Level, Year = l.Year, AuthorityCode = l.AuthorityCode,
        AuthorityName = l.AuthorityName, PublishedOn = Iso(l.PublishedOn), Batch = l.Batch, DocumentNumber = l.DocumentNumber, EntryCount = count,
    };

    public static V1.FacetCount ToMessage(this FacetCount f) => new() { Value = f.Value, Name = f.Name, Count = f.Count };

    private static string Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
