using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmartFactory.Catalog.Domain;

/// <summary>The four levels (梯度), numbered as the registry numbers them.</summary>
public enum Level { Basic = 1, Advanced = 2, Excellent = 3, Leading = 4 }

/// <summary>A recognition's state as the registry's feed spells it; the catalog shows every state after publication.</summary>
public enum RecognitionStatus { PendingPublicity, Cultivating, Active, Expired, Cancelled, Revoked, Removed, Superseded }

/// <summary>
/// One change of the registry's feed: its payload is the registry's JSON of the entity after the change (camelCase,
/// enums by name). The records below read the public fields only; everything else in a payload (credit codes,
/// addresses, sizes, finances, the dossier, reviewers' comments) is never read, so it can not reach the catalog.
/// </summary>
public sealed record FeedChange(long Sequence, string EntityType, string Kind, string PayloadJson, DateTime At)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public T Payload<T>() => JsonSerializer.Deserialize<T>(PayloadJson, Json)
        ?? throw new InvalidOperationException($"change {Sequence} ({Kind}) has no payload");
}

public sealed record EnterpriseChange(Guid Id, string Name);

public sealed record FactoryChange(Guid Id, Guid EnterpriseId, string Name, string RegionCode, string IndustryCode);

public sealed record CampaignChange(Guid Id, Level Level, int Year, string RegionCode);

public sealed record ApplicationChange(Guid Id, Guid CampaignId, Guid FactoryId);

public sealed record RecognitionChange(
    Guid Id, Guid FactoryId, Guid EnterpriseId, Level Level, int Year, Guid ApplicationId, RecognitionStatus Status,
    DateOnly? EffectiveOn, DateOnly? ExpiresOn, DateOnly? CultivationEndsOn, DateOnly? EndedOn, string? EndReason, string? NationalDecision);

public sealed record NationalDecisionChange(Guid Id, Level Level, Guid CampaignId, string DocumentNumber, DateOnly DecidedOn, string ListName,
    IReadOnlyList<Guid> ApplicationIds);
