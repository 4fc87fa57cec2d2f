using System.Text.Json.Serialization;
using SmartFactory.Catalog.Domain;
using SmartFactory.Kernel;

namespace SmartFactory.Catalog.Data.Elasticsearch;

/// <summary>
/// A catalog entry as the Elasticsearch index holds it: the public fields under snake_case names (the mapping's), states by
/// their snake_case names as in PostgreSQL, dates as ISO days.
/// </summary>
public sealed record EntryDocument
{
    [JsonPropertyName("id")] public Guid Id { get; init; }
    [JsonPropertyName("application_id")] public Guid ApplicationId { get; init; }
    [JsonPropertyName("factory_id")] public Guid FactoryId { get; init; }
    [JsonPropertyName("enterprise_id")] public Guid EnterpriseId { get; init; }
    [JsonPropertyName("enterprise_name")] public string EnterpriseName { get; init; } = "";
    [JsonPropertyName("factory_name")] public string FactoryName { get; init; } = "";
    [JsonPropertyName("former_names")] public string[] FormerNames { get; init; } = [];
    [JsonPropertyName("region_code")] public string RegionCode { get; init; } = "";
    [JsonPropertyName("region_name")] public string RegionName { get; init; } = "";
    [JsonPropertyName("city_code")] public string CityCode { get; init; } = "";
    [JsonPropertyName("city_name")] public string CityName { get; init; } = "";
    [JsonPropertyName("industry_code")] public string IndustryCode { get; init; } = "";
    [JsonPropertyName("industry_name")] public string IndustryName { get; init; } = "";
    [JsonPropertyName("level")] public int Level { get; init; }
    [JsonPropertyName("year")] public int Year { get; init; }
    [JsonPropertyName("authority_code")] public string AuthorityCode { get; init; } = "";
    [JsonPropertyName("authority_name")] public string AuthorityName { get; init; } = "";
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    [JsonPropertyName("effective_on")] public DateOnly? EffectiveOn { get; init; }
    [JsonPropertyName("expires_on")] public DateOnly? ExpiresOn { get; init; }
    [JsonPropertyName("cultivation_ends_on")] public DateOnly? CultivationEndsOn { get; init; }
    [JsonPropertyName("ended_on")] public DateOnly? EndedOn { get; init; }
    [JsonPropertyName("end_reason")] public string EndReason { get; init; } = "";
    [JsonPropertyName("published_on")] public DateOnly PublishedOn { get; init; }

    public static EntryDocument From(CatalogEntry e) => new()
    {
        Id = e.Id, ApplicationId = e.ApplicationId, FactoryId = e.FactoryId, EnterpriseId = e.EnterpriseId, EnterpriseName = e.EnterpriseName,
        FactoryName = e.FactoryName, FormerNames = [.. e.FormerNames], RegionCode = e.RegionCode, RegionName = e.RegionName, CityCode = e.CityCode,
        CityName = e.CityName, IndustryCode = e.IndustryCode, IndustryName = e.IndustryName, Level = (int)e.Level, Year = e.Year,
        AuthorityCode = e.AuthorityCode, AuthorityName = e.AuthorityName, Status = SnakeCase.Name(e.Status), EffectiveOn = e.EffectiveOn,
        ExpiresOn = e.ExpiresOn, CultivationEndsOn = e.CultivationEndsOn, EndedOn = e.EndedOn, EndReason = e.EndReason, PublishedOn = e.PublishedOn,
    };

    public CatalogEntry ToDomain() => new(Id, ApplicationId, FactoryId, EnterpriseId, EnterpriseName, FactoryName, FormerNames, RegionCode, RegionName,
        CityCode, CityName, IndustryCode, IndustryName, (Level)Level, Year, AuthorityCode, AuthorityName,
        SnakeCase.Parse<RecognitionStatus>(Status), EffectiveOn, ExpiresOn, CultivationEndsOn, EndedOn, EndReason,
        PublishedOn);
}
