using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.ServiceDefaults.Grpc;
using Domain = SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Grpc;

/// <summary>smartfactory.registry.v1.RecommendationService: the ranked recommendation lists (推荐汇总表).</summary>
public sealed class RecommendationService(OversightStore oversight, LifecycleStore lifecycle, RegistryStore registry, TimeProvider time)
    : Contracts.Registry.V1.RecommendationService.RecommendationServiceBase
{
    public override async Task<RecommendationList> CreateRecommendationList(CreateRecommendationListRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var campaign = Guid.TryParse(request.CampaignId, out var campaignId) ? await lifecycle.GetCampaignAsync(campaignId, context.CancellationToken) : null;
        if (campaign is null)
            throw new ValidationException([new FieldViolation("campaign_id", request.CampaignId.Length == 0 ? "is required" : $"no campaign '{request.CampaignId}'")]);
        var list = Domain.RecommendationList.Create(caller, campaign, Guid.CreateVersion7(), Now());
        await oversight.InsertListAsync(caller, list, context.CancellationToken);
        return await Message(caller, list, context.CancellationToken);
    }

    public override async Task<RecommendationList> GetRecommendationList(GetRecommendationListRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        return await Message(caller, await GetInScope(caller, request.Id, context.CancellationToken), context.CancellationToken);
    }

    public override async Task<ListRecommendationListsResponse> ListRecommendationLists(ListRecommendationListsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        Guid? campaign = null;
        if (request.CampaignId.Length > 0)
            campaign = Violations.ParseId(request.CampaignId, "campaign_id");
        var lists = await oversight.ListListsAsync(caller, campaign, context.CancellationToken);
        var response = new ListRecommendationListsResponse();
        foreach (var list in lists) response.Lists.Add(await Message(caller, list, context.CancellationToken));
        return response;
    }

    public override async Task<RecommendationList> SetRecommendationEntries(SetRecommendationEntriesRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var list = await GetInScope(caller, request.Id, context.CancellationToken);
        var ids = request.Entries.Select(e => Guid.TryParse(e.ApplicationId, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var found = await Applications(caller, ids, context.CancellationToken);
        var edited = list.SetEntries(caller, request.ExpectedVersion, [.. request.Entries.Select(e => (e.ApplicationId, (string?)e.Reason))],
            found.ToDictionary(a => a.Key, a => a.Value.Item), Now());
        await oversight.SaveListAsync(caller, "recommendation_list.entries_set", list, edited, context.CancellationToken);
        return await Message(caller, edited, context.CancellationToken);
    }

    /// <summary>Every listed application recommended with its rank, and the list read-only, in one transaction.</summary>
    public override async Task<RecommendationList> SubmitRecommendationList(SubmitRecommendationListRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var list = await GetInScope(caller, request.Id, context.CancellationToken);
        var listed = await Applications(caller, [.. list.Entries.Select(e => e.ApplicationId)], context.CancellationToken);
        var submitted = list.Submit(caller, request.ExpectedVersion, listed.ToDictionary(a => a.Key, a => a.Value.Item), Now());
        var recommended = submitted.Entries
            .Select(e => (listed[e.ApplicationId].Item, listed[e.ApplicationId].Item.RecommendIn(submitted, e.Rank, caller, Now()))).ToList();
        await oversight.SubmitListAsync(caller, list, submitted, recommended, context.CancellationToken);
        return await Message(caller, submitted, context.CancellationToken);
    }

    private async Task<Domain.RecommendationList> GetInScope(CallerScope caller, string id, CancellationToken cancellationToken) =>
        await oversight.GetListAsync(caller, Violations.ParseId(id), cancellationToken) ?? throw new NotFoundException($"recommendation list {id} not found");

    private async Task<Dictionary<Guid, Named<Domain.Application>>> Applications(CallerScope caller, IReadOnlyCollection<Guid> ids,
        CancellationToken cancellationToken) =>
        (await lifecycle.ApplicationsAsync(caller, ids, cancellationToken)).ToDictionary(a => a.Item.Id);

    private async Task<RecommendationList> Message(CallerScope caller, Domain.RecommendationList list, CancellationToken cancellationToken) =>
        list.ToMessage(await Applications(caller, [.. list.Entries.Select(e => e.ApplicationId)], cancellationToken),
            await registry.ReferenceDataAsync(cancellationToken));

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

}
