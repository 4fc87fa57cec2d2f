using Google.Protobuf.WellKnownTypes;
using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.Registry.Domain;
using V1 = SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Registry.Grpc;

/// <summary>Recommendation lists and spot checks to and from the v1 contract (the enums one lower, as in LifecycleMapping).</summary>
internal static class OversightMapping
{
    public static SpotCheckOutcome? ToDomain(this V1.SpotCheckOutcome outcome) =>
        outcome == V1.SpotCheckOutcome.Unspecified || !System.Enum.IsDefined(outcome) ? null : (SpotCheckOutcome)((int)outcome - 1);

    public static V1.RecommendationList ToMessage(this RecommendationList list, IReadOnlyDictionary<Guid, Named<Application>> applications,
        ReferenceData reference)
    {
        var regions = reference.Regions.ToDictionary(r => r.Code, r => r.Name);
        var industries = reference.Industries.ToDictionary(i => i.Code, i => i.Name);
        var message = new V1.RecommendationList
        {
            Id = list.Id.ToString(), CampaignId = list.CampaignId.ToString(), Level = list.Level.ToMessage(), Year = list.Year,
            RecommenderRegionCode = list.RecommenderRegion, RecommenderName = regions.GetValueOrDefault(list.RecommenderRegion, list.RecommenderRegion),
            Status = (V1.RecommendationListStatus)((int)list.Status + 1), Quota = list.Quota, Version = list.Version,
            CreatedAt = Timestamp.FromDateTime(Utc(list.CreatedAt)), UpdatedAt = Timestamp.FromDateTime(Utc(list.UpdatedAt)),
            SubmittedAt = list.SubmittedAt is { } at ? Timestamp.FromDateTime(Utc(at)) : null, SubmittedBy = list.SubmittedBy ?? "",
        };
        foreach (var entry in list.Entries)
        {
            var item = new V1.RecommendationEntry { Rank = entry.Rank, ApplicationId = entry.ApplicationId.ToString(), Reason = entry.Reason };
            // An entry the reader's scope does not cover shows its rank and id only (the recognizer's scope covers them all).
            if (applications.TryGetValue(entry.ApplicationId, out var named))
            {
                item.EnterpriseName = named.EnterpriseName;
                item.FactoryId = named.Item.FactoryId.ToString();
                item.FactoryName = named.FactoryName;
                item.RegionCode = named.RegionCode;
                item.RegionName = regions.GetValueOrDefault(named.RegionCode, "");
                item.IndustryCode = named.IndustryCode;
                item.IndustryName = industries.GetValueOrDefault(named.IndustryCode, "");
                item.MaturityLevel = named.Item.Form.MaturityLevel ?? 0;
                item.ApplicationStatus = (V1.ApplicationStatus)((int)named.Item.Status + 1);
            }
            message.Entries.Add(item);
        }
        return message;
    }

    public static V1.SpotCheck ToMessage(this SpotCheckView view)
    {
        var c = view.Check;
        return new V1.SpotCheck
        {
            Id = c.Id.ToString(), RoundId = c.RoundId.ToString(), RecognitionId = c.RecognitionId.ToString(), FactoryId = c.FactoryId.ToString(),
            FactoryName = view.FactoryName, EnterpriseId = view.EnterpriseId.ToString(), EnterpriseName = view.EnterpriseName, RegionCode = view.RegionCode,
            Level = c.Level.ToMessage(), Status = (V1.SpotCheckStatus)((int)c.Status + 1), Findings = c.Findings, InspectedOn = c.InspectedOn.Iso(),
            RectificationDueOn = c.RectificationDueOn.Iso(), FollowUpFindings = c.FollowUpFindings, FollowedUpOn = c.FollowedUpOn.Iso(),
            RemovalCause = c.RemovalCause is { } cause ? (V1.RemovalCause)((int)cause + 1) : V1.RemovalCause.Unspecified,
            Version = c.Version, UpdatedAt = Timestamp.FromDateTime(Utc(c.UpdatedAt)),
        };
    }

    public static V1.SpotCheckRound ToMessage(this SpotCheckRound round, IEnumerable<SpotCheckView> checks)
    {
        var message = new V1.SpotCheckRound
        {
            Id = round.Id.ToString(), Name = round.Name, AuthorityRole = round.AuthorityRole.ToString().ToLowerInvariant(),
            Levels = { round.Levels.Select(l => l.ToMessage()) }, Selection = SnakeCase.Name(round.Selection), PerCity = round.PerCity ?? 0,
            Seed = round.Seed, CandidateCount = round.CandidateCount ?? 0, CreatedBy = round.CreatedBy, CreatedAt = Timestamp.FromDateTime(Utc(round.CreatedAt)),
            Checks = { checks.Select(c => c.ToMessage()) },
        };
        return message;
    }

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);
}
