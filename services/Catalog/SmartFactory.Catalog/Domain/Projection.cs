namespace SmartFactory.Catalog.Domain;

/// <summary>
/// How the registry's changes become the public catalog: pure functions, the store applies them in order, one
/// transaction per batch of the feed.
/// </summary>
public static class Projection
{
    /// <summary>
    /// After a rename (更名, 003 第十八条 major change) the old name is kept, so that it still finds the entry; renaming back
    /// drops the name from the former ones again.
    /// </summary>
    public static IReadOnlyList<string> FormerNames(IReadOnlyList<string> former, string oldName, string newName)
    {
        if (oldName == newName) return former;
        var names = former.Where(n => n != newName).ToList();
        if (!names.Contains(oldName)) names.Add(oldName);
        return names;
    }

    /// <summary>
    /// A recognition is published when it takes effect after publicity (basic, advanced: 003 第十三条) or MIIT's decision
    /// selects it (excellent active, leading cultivating: 004 六). One still pending publicity, or cancelled during it by an
    /// upheld objection, was never announced and has no entry.
    /// </summary>
    public static bool Publishes(RecognitionChange recognition) => recognition.Status is RecognitionStatus.Active or RecognitionStatus.Cultivating;

    /// <summary>
    /// Who recognized the level (谁认定、谁管理, 004 四): the city whose round it was for basic, the province for advanced,
    /// MIIT for excellent and leading.
    /// </summary>
    public static string AuthorityCode(Level level, CampaignChange? campaign, string cityCode) => level switch
    {
        Level.Basic => campaign?.RegionCode ?? cityCode,
        Level.Advanced => campaign?.RegionCode ?? cityCode[..2] + "0000",
        _ => ReferenceNames.National,
    };

    /// <summary>
    /// The entry of a recognition, from the catalog's copies of its factory, enterprise and round. The end reason is the
    /// public one (<see cref="PublicEndReason"/>), never the authority's own words.
    /// </summary>
    public static CatalogEntry Entry(RecognitionChange r, FactoryRecord factory, NamedRecord enterprise, CampaignChange? campaign, ReferenceNames names,
        DateOnly publishedOn)
    {
        var city = names.CityOf(factory.RegionCode);
        var authority = AuthorityCode(r.Level, campaign, city);
        return new CatalogEntry(r.Id, r.ApplicationId, factory.Id, enterprise.Id, enterprise.Name, factory.Name,
            [.. factory.FormerNames, .. enterprise.FormerNames], factory.RegionCode, names.Region(factory.RegionCode), city, names.Region(city),
            factory.IndustryCode, names.Industry(factory.IndustryCode), r.Level, r.Year, authority, names.Region(authority), r.Status, r.EffectiveOn,
            r.ExpiresOn, r.CultivationEndsOn, r.EndedOn, PublicEndReason(r.Status, r.EndReason), publishedOn);
    }

    /// <summary>The day a recognition was announced: the day it took effect, or MIIT's decision selecting it for cultivation.</summary>
    public static DateOnly PublishedOn(RecognitionChange r, DateTime at) => r.EffectiveOn ?? DateOnly.FromDateTime(at.AddHours(8));

    /// <summary>
    /// The reason the public sees for an ended recognition: the kind of end in the seeds' words, never the authority's
    /// text (it may name an incident, an objector or a notice). Removal 003 第二十条, revocation for fraud 003 第二十一条,
    /// expiry 003 第十五条, cancellation after re-examination or acceptance 004 五、八.
    /// </summary>
    public static string PublicEndReason(RecognitionStatus status, string? registryReason) => status switch
    {
        RecognitionStatus.Removed => "移出智能工厂库 (removed from the library, 003 第二十条)",
        RecognitionStatus.Revoked when registryReason?.StartsWith("data fraud", StringComparison.Ordinal) == true =>
            "撤销认定：数据造假 (revoked for data fraud, 003 第二十一条)",
        RecognitionStatus.Revoked => "撤销认定 (recognition revoked, 003 第二十一条)",
        RecognitionStatus.Expired => "有效期满 (validity of 3 years ended, 003 第十五条)",
        RecognitionStatus.Superseded => "认定为更高层级 (superseded by a higher level)",
        RecognitionStatus.Cancelled when registryReason?.StartsWith("re-examination failed", StringComparison.Ordinal) == true =>
            "复核未通过，取消认定 (re-examination failed, 004 五)",
        RecognitionStatus.Cancelled when registryReason?.StartsWith("no re-examination", StringComparison.Ordinal) == true =>
            "有效期满未申请复核，取消认定 (no re-examination applied for, 004 五)",
        RecognitionStatus.Cancelled when registryReason?.StartsWith("acceptance failed", StringComparison.Ordinal) == true
            || registryReason?.StartsWith("cultivation period ended", StringComparison.Ordinal) == true =>
            "培育期验收未通过，取消认定 (leading acceptance not passed, 004 八)",
        RecognitionStatus.Cancelled => "取消认定 (recognition cancelled)",
        _ => "",
    };

    /// <summary>
    /// A basic or advanced list (公布名单) is the recognizing authority's recognitions of one level and year that took effect
    /// on one day: the day its publicity notice closed (the notices service makes every item of a closed notice take
    /// effect on the closing day), so each notice's result is one batch. The year's first is batch 1.
    /// </summary>
    public static string ListName(int year, string authorityName, Level level, int batch) =>
        $"{year}年{authorityName}{Chinese(level)}智能工厂名单" + (batch > 1 ? $"（第{batch}批）" : "");

    public static string Chinese(Level level) => level switch
    {
        Level.Basic => "基础级", Level.Advanced => "先进级", Level.Excellent => "卓越级", _ => "领航级",
    };

    /// <summary>
    /// An entry after its factory or enterprise changed: the new names (the old ones kept as former names), region and
    /// industry. Who recognized it, and when, does not change.
    /// </summary>
    public static CatalogEntry Renamed(CatalogEntry entry, FactoryRecord factory, NamedRecord enterprise, ReferenceNames names)
    {
        var city = names.CityOf(factory.RegionCode);
        return entry with
        {
            EnterpriseName = enterprise.Name, FactoryName = factory.Name, FormerNames = [.. factory.FormerNames, .. enterprise.FormerNames],
            RegionCode = factory.RegionCode, RegionName = names.Region(factory.RegionCode), CityCode = city, CityName = names.Region(city),
            IndustryCode = factory.IndustryCode, IndustryName = names.Industry(factory.IndustryCode),
        };
    }

    /// <summary>
    /// A basic or advanced list's id, from what identifies it (authority, level, year, batch), so that a rebuild gives
    /// every list the id it had: a list's address never changes. MIIT's lists keep the decision's id.
    /// </summary>
    public static Guid ListId(string authorityCode, Level level, int year, int batch)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"catalog-list:{authorityCode}:{(int)level}:{year}:{batch}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: a name-based id of our own making (RFC 9562)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
