using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.ServiceDefaults.Grpc;
using Domain = SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Grpc;

/// <summary>smartfactory.registry.v1.SpotCheckService: spot-check rounds (抽查, 现场抽查) and each factory's check.</summary>
public sealed class SpotCheckService(OversightStore oversight, LifecycleStore lifecycle, TimeProvider time)
    : Contracts.Registry.V1.SpotCheckService.SpotCheckServiceBase
{
    /// <summary>Most targets a round's answer lists; a province draws far fewer (17 cities × at most 100).</summary>
    private const int MaxTargets = 5000;

    public override async Task<SpotCheckRound> CreateSpotCheckRound(CreateSpotCheckRoundRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var (name, levels, chosen, perCity) = Domain.SpotCheckRound.Read(caller, request.Name, [.. request.Levels.Select(l => l.ToDomain())],
            request.RecognitionIds, request.Draw?.PerCity);

        IReadOnlyList<Domain.Recognition> targets;
        long? seed = null;
        int? candidates = null;
        if (perCity is { } count)
        {
            seed = request.Draw!.Seed ?? Domain.SpotCheckDraw.NewSeed();
            var live = await lifecycle.LiveRecognitionsOfLevelsAsync(caller, levels, context.CancellationToken);
            candidates = live.Count;
            var byId = live.ToDictionary(r => r.Item.Id, r => r.Item);
            targets = [.. Domain.SpotCheckDraw.Draw(live.Select(r => new Domain.SpotCheckCandidate(r.Item.Id, r.Item.FactoryId, r.Item.Level, r.RegionCode)),
                count, seed.Value).Select(c => byId[c.RecognitionId])];
            if (targets.Count == 0)
                throw new RuleViolationException([$"no live {string.Join("、", levels.Select(l => l.ToString().ToLowerInvariant()))} recognition in your scope to draw from"]);
        }
        else
        {
            var found = (await lifecycle.RecognitionsAsync(caller, chosen, context.CancellationToken)).ToDictionary(r => r.Item.Id, r => r.Item);
            Domain.SpotCheckRound.CheckChosen(chosen, levels, found);
            targets = [.. chosen.Select(id => found[id])];
        }

        var round = new Domain.SpotCheckRound(Guid.CreateVersion7(), name, caller.Role, levels,
            perCity is null ? Domain.SpotCheckSelection.Chosen : Domain.SpotCheckSelection.Drawn, perCity, seed, candidates, caller.Name, Now());
        var checks = targets.Select(r => Domain.SpotCheck.Schedule(round.Id, r, Guid.CreateVersion7(), Now())).ToList();
        await oversight.InsertRoundAsync(caller, round, checks, context.CancellationToken);
        return await RoundMessage(caller, round, context.CancellationToken);
    }

    public override async Task<SpotCheckRound> GetSpotCheckRound(GetSpotCheckRoundRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var round = await oversight.GetRoundAsync(caller, Violations.ParseId(request.Id), context.CancellationToken)
            ?? throw new NotFoundException($"spot check round {request.Id} not found");
        return await RoundMessage(caller, round, context.CancellationToken);
    }

    public override async Task<ListSpotCheckRoundsResponse> ListSpotCheckRounds(ListSpotCheckRoundsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var rounds = await oversight.ListRoundsAsync(caller, context.CancellationToken);
        return new ListSpotCheckRoundsResponse { Rounds = { rounds.Select(r => r.ToMessage([])) } };
    }

    public override async Task<SpotCheck> GetSpotCheck(GetSpotCheckRequest request, ServerCallContext context) =>
        (await GetInScope(context.Caller(), request.Id, context.CancellationToken)).ToMessage();

    public override async Task<ListSpotChecksResponse> ListSpotChecks(ListSpotChecksRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var page = Page.Parse(request.PageSize, request.PageToken, violations);
        Guid? round = null;
        if (request.RoundId.Length > 0)
        {
            if (Guid.TryParse(request.RoundId, out var id)) round = id;
            else violations.Add("round_id", "must be a UUID");
        }
        violations.ThrowIfAny();
        var (items, total) = await oversight.ListChecksAsync(caller, round, page.Offset, page.Size, context.CancellationToken);
        return new ListSpotChecksResponse { Checks = { items.Select(c => c.ToMessage()) }, TotalSize = total, NextPageToken = page.NextToken(total) };
    }

    public override async Task<SpotCheck> RecordSpotCheckOutcome(RecordSpotCheckOutcomeRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var check = await GetInScope(caller, request.Id, context.CancellationToken);
        var after = check.Check.RecordOutcome(caller, request.ExpectedVersion, request.Findings, request.InspectedOn, request.Outcome.ToDomain(),
            request.RectificationDueOn, request.RemovalCause.ToDomain(), Today(), Now());
        return await Save(caller, "spot_check." + SnakeCase.Name(after.Status), check, after, after.InspectedOn, context.CancellationToken);
    }

    public override async Task<SpotCheck> RecordSpotCheckFollowUp(RecordSpotCheckFollowUpRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var check = await GetInScope(caller, request.Id, context.CancellationToken);
        var after = check.Check.RecordFollowUp(caller, request.ExpectedVersion, request.Findings, request.FollowedUpOn, request.Outcome.ToDomain(),
            request.RemovalCause.ToDomain(), Today(), Now());
        return await Save(caller, "spot_check." + SnakeCase.Name(after.Status), check, after, after.FollowedUpOn, context.CancellationToken);
    }

    /// <summary>
    /// A removal (移出) ends the checked recognition through the lifecycle's own rule, with its 3-year ban (003 第二十条),
    /// and the factory's other live recognitions with it, as RemoveRecognition does; the findings are the description.
    /// </summary>
    private async Task<SpotCheck> Save(CallerScope caller, string kind, SpotCheckView check, Domain.SpotCheck after, DateOnly? found,
        CancellationToken cancellationToken)
    {
        var removed = new List<(Domain.Recognition, Domain.Recognition)>();
        if (after.Status == Domain.SpotCheckStatus.Removed)
        {
            var recognition = await lifecycle.GetRecognitionAsync(caller, after.RecognitionId, cancellationToken)
                ?? throw new NotFoundException($"recognition {after.RecognitionId} not found");
            var description = after.FollowUpFindings.Length > 0 ? after.FollowUpFindings : after.Findings;
            var ended = recognition.Item.Remove(caller, recognition.Item.Version, after.RemovalCause, $"spot check (抽查) {after.Id}: {description}",
                found, Today(), Now());
            removed.Add((recognition.Item, ended));
            removed.AddRange((await lifecycle.LiveRecognitionsOfFactoryAsync(ended.FactoryId, cancellationToken)).Where(r => r.Id != ended.Id)
                .Select(r => (r, r.RemovedWith(ended, caller, Today(), Now()))));
        }
        await oversight.SaveCheckAsync(caller, kind, check.Check, after, removed, cancellationToken);
        return (check with { Check = after }).ToMessage();
    }

    private async Task<SpotCheckRound> RoundMessage(CallerScope caller, Domain.SpotCheckRound round, CancellationToken cancellationToken) =>
        round.ToMessage((await oversight.ListChecksAsync(caller, round.Id, 0, MaxTargets, cancellationToken)).Items);

    private async Task<SpotCheckView> GetInScope(CallerScope caller, string id, CancellationToken cancellationToken) =>
        await oversight.GetCheckAsync(caller, Violations.ParseId(id), cancellationToken) ?? throw new NotFoundException($"spot check {id} not found");

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private DateOnly Today() => Domain.BusinessDates.Today(time);

}
