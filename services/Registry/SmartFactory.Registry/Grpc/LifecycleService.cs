using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Grpc;
using Domain = SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Grpc;

/// <summary>smartfactory.registry.v1.LifecycleService: campaigns, applications, recognitions, the change feed.</summary>
public sealed class LifecycleService(LifecycleStore lifecycle, RegistryStore registry, TimeProvider time, Domain.ReferenceCatalogs catalogs)
    : Contracts.Registry.V1.LifecycleService.LifecycleServiceBase
{
    public override async Task<RoundWindow> SetRoundWindow(SetRoundWindowRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var window = Domain.RoundWindow.Set(caller, request.Year, request.OpensOn, request.CompleteBy, Now());
        var before = await Window(window.Year, context.CancellationToken);
        await lifecycle.SaveRoundWindowAsync(caller, before, window, context.CancellationToken);
        return window.ToMessage();
    }

    public override async Task<ListRoundWindowsResponse> ListRoundWindows(ListRoundWindowsRequest request, ServerCallContext context)
    {
        context.Caller();
        return new ListRoundWindowsResponse { Windows = { (await lifecycle.ListRoundWindowsAsync(null, context.CancellationToken)).Select(w => w.ToMessage()) } };
    }

    public override async Task<Campaign> CreateCampaign(CreateCampaignRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var campaign = Domain.Campaign.Create(caller, Draft(request.Level.ToDomain(), request.Year, request.SubmissionOpensOn, request.SubmissionClosesOn,
                request.DecisionDueOn, request.Quotas), await registry.ReferenceDataAsync(context.CancellationToken),
            await Window(request.Year, context.CancellationToken), Guid.CreateVersion7(), Now());
        await lifecycle.InsertCampaignAsync(caller, campaign, context.CancellationToken);
        return campaign.ToMessage(Today());
    }

    public override async Task<Campaign> UpdateCampaign(UpdateCampaignRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var campaign = await GetCampaign(request.Id, context.CancellationToken);
        var configured = campaign.Configure(caller, request.ExpectedVersion,
            Draft(campaign.Level, campaign.Year, request.SubmissionOpensOn, request.SubmissionClosesOn, request.DecisionDueOn, request.Quotas),
            await registry.ReferenceDataAsync(context.CancellationToken), await Window(campaign.Year, context.CancellationToken));
        await lifecycle.SaveCampaignAsync(caller, "campaign.configured", campaign, configured, context.CancellationToken);
        return configured.ToMessage(Today());
    }

    public override async Task<Campaign> ExtendCampaign(ExtendCampaignRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var campaign = await GetCampaign(request.Id, context.CancellationToken);
        var extended = campaign.Extend(caller, request.ExpectedVersion, request.CompleteBy, request.Reason, Today());
        await lifecycle.SaveCampaignAsync(caller, "campaign.extended", campaign, extended, context.CancellationToken);
        return extended.ToMessage(Today());
    }

    public override async Task<Campaign> CloseCampaign(CampaignActionRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var campaign = await GetCampaign(request.Id, context.CancellationToken);
        var closed = campaign.Close(caller, request.ExpectedVersion, await lifecycle.UnfinishedInCampaignAsync(campaign.Id, context.CancellationToken), Today());
        await lifecycle.SaveCampaignAsync(caller, "campaign.closed", campaign, closed, context.CancellationToken);
        return closed.ToMessage(Today());
    }

    public override async Task<ListCampaignsResponse> ListCampaigns(ListCampaignsRequest request, ServerCallContext context)
    {
        context.Caller();
        var campaigns = await lifecycle.ListCampaignsAsync(request.Year == 0 ? null : request.Year, context.CancellationToken);
        return new ListCampaignsResponse { Campaigns = { campaigns.Select(c => c.ToMessage(Today())) } };
    }

    public override async Task<Application> SaveApplication(SaveApplicationRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var form = Domain.ApplicationForm.Read(violations, request.Maturity?.Level ?? 0, request.Maturity?.AssessedOn, request.Maturity?.CertificateRef,
            request.CatalogEdition, request.ScenarioIds, [.. request.Kpis.Select(k => (k.KpiId, k.Value))], request.TruthfulnessDeclared,
            catalogs, Today(), [.. request.Declarations.Select(d => (d.Code, d.Affirmed, (string?)d.Note))], request.LastYearRevenue,
            request.LegalForm.ToDomain());
        if (!Enum.IsDefined(request.LegalForm)) violations.Add("legal_form", "must be independent or branch");

        if (request.Id.Length > 0)
        {
            violations.ThrowIfAny();
            var existing = await GetApplicationInScope(caller, request.Id, context.CancellationToken);
            var edited = existing.Item.Edit(caller, request.ExpectedVersion, form, Now());
            await lifecycle.SaveApplicationAsync(caller, "application.edited", existing.Item, edited, null, context.CancellationToken);
            return (existing with { Item = edited }).ToMessage();
        }

        var campaign = Guid.TryParse(request.CampaignId, out var campaignId) ? await lifecycle.GetCampaignAsync(campaignId, context.CancellationToken) : null;
        if (campaign is null) violations.Add("campaign_id", $"no campaign '{request.CampaignId}'");
        var factory = Guid.TryParse(request.FactoryId, out var factoryId) ? await registry.GetFactoryAsync(caller, factoryId, context.CancellationToken) : null;
        if (factory is null) violations.Add("factory_id", $"no factory '{request.FactoryId}' in your scope");
        violations.ThrowIfAny();

        var standing = await Standing(factory!, campaign!.Level, null, context.CancellationToken);
        var application = Domain.Application.Start(caller, factory!.Id, factory.EnterpriseId, campaign, form, standing, Today(), Guid.CreateVersion7(), Now());
        await lifecycle.InsertApplicationAsync(caller, application, context.CancellationToken);
        return (await GetApplicationInScope(caller, application.Id.ToString(), context.CancellationToken)).ToMessage();
    }

    public override async Task<Application> SubmitApplication(SubmitApplicationRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var application = await GetApplicationInScope(caller, request.Id, context.CancellationToken);
        var campaign = await lifecycle.GetCampaignAsync(application.Item.CampaignId, context.CancellationToken) ?? throw new NotFoundException("the application's campaign is gone");
        var factory = await registry.GetFactoryAsync(caller, application.Item.FactoryId, context.CancellationToken) ?? throw new NotFoundException($"application {request.Id} not found");
        var standing = await Standing(factory, application.Item.Level, application.Item.Id, context.CancellationToken);
        var submitted = application.Item.Submit(caller, request.ExpectedVersion, campaign, standing, catalogs, Today(), Now());
        // 申报材料要素完整 (003 第十七条): the store refuses it naming everything the dossier still lacks.
        await lifecycle.SaveApplicationAsync(caller, "application.submitted", application.Item, submitted, null, context.CancellationToken);
        return (application with { Item = submitted }).ToMessage();
    }

    public override async Task<Application> GetApplication(GetApplicationRequest request, ServerCallContext context) =>
        (await GetApplicationInScope(context.Caller(), request.Id, context.CancellationToken)).ToMessage();

    public override async Task<ListApplicationsResponse> ListApplications(ListApplicationsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var page = Page.Parse(request.PageSize, request.PageToken, violations);
        var campaign = violations.Id("campaign_id", request.CampaignId, required: false);
        violations.ThrowIfAny();
        var (items, total) = await lifecycle.ListApplicationsAsync(caller,
            new ApplicationFilter(campaign, request.Status.ToDomain(), request.Level.ToDomain()), page.Offset, page.Size, context.CancellationToken);
        return new ListApplicationsResponse { Applications = { items.Select(a => a.ToMessage()) }, TotalSize = total, NextPageToken = page.NextToken(total) };
    }

    public override async Task<Application> ReviewApplication(ReviewApplicationRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var action = request.Action.ToDomain()
            ?? throw new ValidationException([new FieldViolation("action", "is required: approve, return, reject or recommend")]);
        var application = await GetApplicationInScope(caller, request.Id, context.CancellationToken);
        var campaign = await lifecycle.GetCampaignAsync(application.Item.CampaignId, context.CancellationToken) ?? throw new NotFoundException("the application's campaign is gone");
        var reviewed = application.Item.Review(caller, request.ExpectedVersion, action, request.Comments, campaign, Today(), Now());

        Domain.Recognition? recognition = null;
        if (reviewed.Status == Domain.ApplicationStatus.Approved)
        {
            recognition = Domain.Recognition.FromApproval(reviewed, campaign.Year, caller, Today(), Guid.CreateVersion7(), Now());
            reviewed = reviewed.Recognized(recognition.Id);
        }
        await lifecycle.SaveApplicationAsync(caller, "application." + reviewed.History[^1].Action, application.Item, reviewed, recognition,
            context.CancellationToken);
        return (application with { Item = reviewed }).ToMessage();
    }

    public override async Task<Application> VerifyDeclarations(VerifyDeclarationsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var findings = Domain.BasicRequirements.ReadVerifications(violations,
            [.. request.Verifications.Select(v => (v.Code, v.Confirmed, (string?)v.Note, (string?)v.AttachmentId))], caller, Now());
        violations.ThrowIfAny();
        var application = await GetApplicationInScope(caller, request.Id, context.CancellationToken);
        var verified = application.Item.Verify(caller, request.ExpectedVersion, findings, Now());
        await lifecycle.SaveApplicationAsync(caller, "application.declarations_verified", application.Item, verified, null, context.CancellationToken);
        return (application with { Item = verified }).ToMessage();
    }

    /// <summary>
    /// MIIT's decision: every application it names must be one the province recommended in that round; each is approved
    /// and recognized from the decision (excellent active, leading cultivating), superseding the factory's lower level,
    /// all in one transaction.
    /// </summary>
    public override async Task<NationalDecision> RecordNationalDecision(RecordNationalDecisionRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var source = request.Source.ToDomain()
            ?? throw new ValidationException([new FieldViolation("source", "must be entered or imported")]);
        var campaign = Guid.TryParse(request.CampaignId, out var campaignId) ? await lifecycle.GetCampaignAsync(campaignId, context.CancellationToken) : null;
        var decision = Domain.NationalDecision.Record(caller, campaign, request.DocumentNumber, request.DecidedOn, request.ListName, request.ApplicationIds,
            request.CultivationEndsOn, source, Today(), Guid.CreateVersion7(), Now());
        // A decision imported or entered twice is the same decision: said as such before its applications, now approved, are read.
        if (await lifecycle.NationalDecisionRecordedAsync(decision.DocumentNumber, context.CancellationToken))
            throw new AlreadyExistsException($"the decision {decision.DocumentNumber} is recorded already");
        var effects = new List<(Domain.Application, Domain.Application, Domain.Recognition, (Domain.Recognition, Domain.Recognition)?)>();
        var refusals = new List<string>();
        foreach (var id in decision.ApplicationIds)
        {
            var application = await lifecycle.GetApplicationAsync(caller, id, context.CancellationToken);
            if (application is null || application.Item.CampaignId != decision.CampaignId)
            {
                refusals.Add($"application {id} is not in the {campaign!.Year} {Domain.LevelRules.Chinese(campaign.Level)} round");
                continue;
            }
            if (application.Item.Status != Domain.ApplicationStatus.Recommended)
            {
                refusals.Add($"application {id} ({application.FactoryName}) is {application.Item.Status.ToString().ToLowerInvariant()}, not recommended by the province");
                continue;
            }
            var recognition = Domain.Recognition.FromNationalDecision(application.Item, decision, decision.DecidedOn.Year, caller, Guid.CreateVersion7(), Now());
            var approved = application.Item.SelectedByNationalDecision(caller, decision, Now()).Recognized(recognition.Id);
            var lower = recognition.Status == Domain.RecognitionStatus.Active
                ? await lifecycle.ActiveRecognitionOfFactoryAsync(application.Item.FactoryId, context.CancellationToken) : null;
            effects.Add((application.Item, approved, recognition, lower is null ? null : (lower, lower.SupersededBy(recognition, caller, decision.DecidedOn, Now()))));
        }
        if (refusals.Count > 0) throw new RuleViolationException(refusals);
        await lifecycle.SaveNationalDecisionAsync(caller, decision, effects, context.CancellationToken);
        return decision.ToMessage(effects.Select(e => e.Item3.Id));
    }

    public override async Task<ListNationalDecisionsResponse> ListNationalDecisions(ListNationalDecisionsRequest request, ServerCallContext context)
    {
        context.Caller();
        var decisions = await lifecycle.ListNationalDecisionsAsync(request.Year == 0 ? null : request.Year, context.CancellationToken);
        return new ListNationalDecisionsResponse { Decisions = { decisions.Select(d => d.Decision.ToMessage(d.Recognitions)) } };
    }

    /// <summary>
    /// Idempotent by request id: a command delivered twice (an outbox retrying after a lost acknowledgement) changes
    /// nothing the second time and answers the recognition as it stands now.
    /// </summary>
    public override async Task<Recognition> TakeEffect(TakeEffectRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var applicationId = violations.Id("application_id", request.ApplicationId, required: true) ?? Guid.Empty;
        var requestId = violations.Required("request_id", request.RequestId, 200);
        var on = violations.Date("effective_on", request.EffectiveOn, required: false) ?? Today();
        violations.ThrowIfAny();

        var recognition = await lifecycle.GetRecognitionOfApplicationAsync(caller, applicationId, context.CancellationToken)
            ?? throw new NotFoundException($"no recognition of application {applicationId} in your scope");
        if (await AlreadyApplied(requestId, TookEffectCommand, recognition.Item, context.CancellationToken)) return recognition.ToMessage();
        var lower = await lifecycle.ActiveRecognitionOfFactoryAsync(recognition.Item.FactoryId, context.CancellationToken);
        var active = recognition.Item.TakeEffect(caller, on, Today(), Now(),
            await lifecycle.BanUntilAsync(recognition.Item.EnterpriseId, Today(), context.CancellationToken), lower);
        await lifecycle.SaveRecognitionAsync(caller, TookEffectCommand, recognition.Item, active,
            lower is null ? null : [("recognition.superseded", lower, lower.SupersededBy(active, caller, on, Now()))], requestId, context.CancellationToken);
        return (recognition with { Item = active }).ToMessage();
    }

    /// <summary>
    /// An objection upheld during publicity: the pending recognition is cancelled and its application rejected, in one
    /// transaction. Idempotent by request id, as <see cref="TakeEffect"/>.
    /// </summary>
    public override async Task<Recognition> WithdrawAfterPublicity(WithdrawAfterPublicityRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var applicationId = violations.Id("application_id", request.ApplicationId, required: true) ?? Guid.Empty;
        var requestId = violations.Required("request_id", request.RequestId, 200);
        violations.ThrowIfAny();

        var recognition = await lifecycle.GetRecognitionOfApplicationAsync(caller, applicationId, context.CancellationToken)
            ?? throw new NotFoundException($"no recognition of application {applicationId} in your scope");
        if (await AlreadyApplied(requestId, LifecycleStore.WithdrawalCommand, recognition.Item, context.CancellationToken)) return recognition.ToMessage();
        var withdrawn = recognition.Item.WithdrawAfterPublicity(caller, request.Reason, Today(), Now());
        var application = await lifecycle.GetApplicationAsync(caller, applicationId, context.CancellationToken)
            ?? throw new NotFoundException($"application {applicationId} not found");
        var rejected = application.Item.RejectAfterPublicity(caller, withdrawn.EndReason!, Now());
        await lifecycle.SaveWithdrawalAsync(caller, recognition.Item, withdrawn, application.Item, rejected, requestId, context.CancellationToken);
        return (recognition with { Item = withdrawn }).ToMessage();
    }

    public override async Task<Recognition> GetRecognition(GetRecognitionRequest request, ServerCallContext context) =>
        (await GetRecognitionInScope(context.Caller(), request.Id, context.CancellationToken)).ToMessage();

    public override async Task<ListRecognitionsResponse> ListRecognitions(ListRecognitionsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var page = Page.Parse(request.PageSize, request.PageToken, violations);
        var factory = violations.Id("factory_id", request.FactoryId, required: false);
        violations.ThrowIfAny();
        var (items, total) = await lifecycle.ListRecognitionsAsync(caller,
            new RecognitionFilter(factory, request.Level.ToDomain(), request.Status.ToDomain()), page.Offset, page.Size, context.CancellationToken);
        return new ListRecognitionsResponse { Recognitions = { items.Select(r => r.ToMessage()) }, TotalSize = total, NextPageToken = page.NextToken(total) };
    }

    public override Task<Recognition> ApplyForRenewal(RecognitionActionRequest request, ServerCallContext context) =>
        Step(context, request.Id, "recognition.renewal_applied", (r, caller) => r.ApplyForRenewal(caller, request.ExpectedVersion, Today(), Now()));

    public override Task<Recognition> DecideRenewal(DecisionRequest request, ServerCallContext context) =>
        Step(context, request.Id, request.Passed ? "recognition.renewed" : "recognition.renewal_failed",
            (r, caller) => r.DecideRenewal(caller, request.ExpectedVersion, request.Passed, request.Comments, Today(), Now()));

    public override Task<Recognition> ApplyForAcceptance(RecognitionActionRequest request, ServerCallContext context) =>
        Step(context, request.Id, "recognition.acceptance_applied", (r, caller) => r.ApplyForAcceptance(caller, request.ExpectedVersion, Today(), Now()));

    public override Task<Recognition> RecordPreliminaryCheck(DecisionRequest request, ServerCallContext context) =>
        Step(context, request.Id, request.Passed ? "recognition.preliminary_passed" : "recognition.preliminary_failed",
            (r, caller) => r.RecordPreliminaryCheck(caller, request.ExpectedVersion, request.Passed, request.Comments, Today(), Now()));

    /// <summary>A passed acceptance makes the leading factory current: its excellent recognition is superseded in the same transaction.</summary>
    public override async Task<Recognition> DecideAcceptance(DecisionRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var recognition = await GetRecognitionInScope(caller, request.Id, context.CancellationToken);
        var after = recognition.Item.DecideAcceptance(caller, request.ExpectedVersion, request.Passed, request.Comments, Today(), Now());
        var lower = after.Status == Domain.RecognitionStatus.Active
            ? await lifecycle.ActiveRecognitionOfFactoryAsync(after.FactoryId, context.CancellationToken) : null;
        await lifecycle.SaveRecognitionAsync(caller, request.Passed ? "recognition.acceptance_passed" : "recognition.cancelled", recognition.Item, after,
            lower is null ? null : [("recognition.superseded", lower, lower.SupersededBy(after, caller, Today(), Now()))], null, context.CancellationToken);
        return (recognition with { Item = after }).ToMessage();
    }

    /// <summary>
    /// Removal takes the factory out of the library: every recognition of it that has not ended (an active excellent
    /// beside a leading in cultivation, one pending publicity) ends with it, in the same transaction.
    /// </summary>
    public override async Task<Recognition> RemoveRecognition(RemoveRecognitionRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var occurred = violations.Date("occurred_on", request.OccurredOn, required: false);
        violations.ThrowIfAny();
        var recognition = await GetRecognitionInScope(caller, request.Id, context.CancellationToken);
        var removed = recognition.Item.Remove(caller, request.ExpectedVersion, request.Cause.ToDomain(), request.Description, occurred, Today(), Now());
        var others = (await lifecycle.LiveRecognitionsOfFactoryAsync(removed.FactoryId, context.CancellationToken)).Where(r => r.Id != removed.Id)
            .Select(r => ("recognition.removed", r, r.RemovedWith(removed, caller, Today(), Now()))).ToList();
        await lifecycle.SaveRecognitionAsync(caller, "recognition.removed", recognition.Item, removed, others, null, context.CancellationToken);
        return (recognition with { Item = removed }).ToMessage();
    }

    public override Task<Recognition> RevokeRecognition(RevokeRecognitionRequest request, ServerCallContext context) =>
        Step(context, request.Id, "recognition.revoked", (r, caller) => r.Revoke(caller, request.ExpectedVersion, request.Reason, request.DataFraud, Today(), Now()));

    public override async Task<Recognition> RecordPlaque(RecordPlaqueRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var awarded = violations.Date("awarded_on", request.AwardedOn, required: false);
        violations.ThrowIfAny();
        return await Step(context, request.Id, "recognition.plaque_awarded",
            (r, caller) => r.RecordPlaque(caller, request.ExpectedVersion, awarded, Today(), Now()));
    }

    public override async Task<ListDeadlinesResponse> ListDeadlines(ListDeadlinesRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (request.WithinDays is < 0 or > 3660)
            throw new ValidationException([new FieldViolation("within_days", "must be between 1 and 3660 (default 90)")]);
        var today = Today();
        var horizon = today.AddDays(request.WithinDays == 0 ? 90 : request.WithinDays);
        var live = await lifecycle.LiveRecognitionsAsync(caller, context.CancellationToken);
        var recognitions = live
            .Select(r => (Named: r, Clock: r.Item.NextClock()))
            .Where(d => d.Clock is { } clock && clock.DueOn <= horizon)
            .Select(d => new Deadline
            {
                RecognitionId = d.Named.Item.Id.ToString(), FactoryName = d.Named.FactoryName, RegionCode = d.Named.RegionCode,
                Level = d.Named.Item.Level.ToMessage(), Kind = d.Clock!.Kind, DueOn = Domain.BusinessDates.Iso(d.Clock.DueOn),
                DaysLeft = d.Clock.DueOn.DayNumber - today.DayNumber,
            });
        // Each authority's countdown to the end of the rounds it runs (the province also watches the cities' basic rounds).
        var rounds = (await lifecycle.ListCampaignsAsync(null, context.CancellationToken))
            .Where(c => c.Status == Domain.CampaignStatus.Open && c.CompleteBy <= horizon && RunsOrOversees(caller, c))
            .Select(c => new Deadline
            {
                CampaignId = c.Id.ToString(), FactoryName = $"{c.Year}年{Domain.LevelRules.Chinese(c.Level)}智能工厂评定 ({c.RegionCode})", RegionCode = c.RegionCode,
                Level = c.Level.ToMessage(), Kind = "round_complete_by", DueOn = Domain.BusinessDates.Iso(c.CompleteBy), DaysLeft = c.DaysLeft(today),
            });
        // A spot check's rectification (整改) is followed up by its deadline: that clock runs beside the recognition's own.
        var rectifications = (await lifecycle.RectificationsDueAsync(caller, horizon, context.CancellationToken)).Select(r => new Deadline
        {
            RecognitionId = r.RecognitionId.ToString(), FactoryName = r.FactoryName, RegionCode = r.RegionCode, Level = r.Level.ToMessage(),
            Kind = Domain.SpotCheck.RectificationDueKind, DueOn = Domain.BusinessDates.Iso(r.DueOn), DaysLeft = r.DueOn.DayNumber - today.DayNumber,
        });
        return new ListDeadlinesResponse { Deadlines = { recognitions.Concat(rounds).Concat(rectifications).OrderBy(d => d.DueOn, StringComparer.Ordinal) } };
    }

    public override async Task<ListChangesResponse> ListChanges(ListChangesRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (caller.Role is not (Role.Province or Role.Ministry or Role.Service)) // service: the catalog, which keeps public fields only
            throw new ForbiddenException("the change feed is for the province's and the ministry's systems");
        var violations = new Violations();
        if (request.AfterSequence < 0) violations.Add("after_sequence", "must not be negative");
        if (request.Limit is < 0 or > 1000) violations.Add("limit", "must be between 1 and 1000 (default 100)");
        violations.ThrowIfAny();
        var (changes, last) = await lifecycle.ListChangesAsync(request.AfterSequence, request.Limit == 0 ? 100 : request.Limit, context.CancellationToken);
        return new ListChangesResponse
        {
            LastSequence = last,
            Changes = { changes.Select(c => new Change
            {
                Sequence = c.Sequence, EntityType = c.EntityType, EntityId = c.EntityId.ToString(), Kind = c.Kind, PayloadJson = c.Payload,
                At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(c.At, DateTimeKind.Utc)),
            }) },
        };
    }

    private static bool RunsOrOversees(CallerScope caller, Domain.Campaign campaign) => caller.Role switch
    {
        Role.City => campaign.Level == Domain.Level.Basic && campaign.RegionCode == caller.Region,
        Role.Province => campaign.Level <= Domain.Level.Advanced,
        Role.Ministry => campaign.Level >= Domain.Level.Excellent,
        _ => false,
    };

    private static Domain.CampaignDraft Draft(Domain.Level? level, int year, string opens, string closes, string due,
        IEnumerable<Quota> quotas) => new(level, year, opens, closes, due, [.. quotas.Select(q => (q.RegionCode, q.Count))]);

    private async Task<Domain.RoundWindow?> Window(int year, CancellationToken cancellationToken) =>
        (await lifecycle.ListRoundWindowsAsync(year, cancellationToken)).SingleOrDefault();

    private async Task<Domain.Campaign> GetCampaign(string id, CancellationToken cancellationToken) =>
        await lifecycle.GetCampaignAsync(Violations.ParseId(id), cancellationToken) ?? throw new NotFoundException($"campaign {id} not found");

    private async Task<Recognition> Step(ServerCallContext context, string id, string kind, Func<Domain.Recognition, CallerScope, Domain.Recognition> step)
    {
        var caller = context.Caller();
        var recognition = await GetRecognitionInScope(caller, id, context.CancellationToken);
        var after = step(recognition.Item, caller);
        await lifecycle.SaveRecognitionAsync(caller, kind, recognition.Item, after, null, null, context.CancellationToken);
        return (recognition with { Item = after }).ToMessage();
    }

    private const string TookEffectCommand = "recognition.took_effect";

    /// <summary>
    /// Whether a command with this request id was already applied to this recognition; a request id reused for another
    /// recognition or another command is a mistake of the sender, refused rather than answered with the wrong result.
    /// </summary>
    private async Task<bool> AlreadyApplied(string requestId, string command, Domain.Recognition recognition, CancellationToken cancellationToken)
    {
        if (await lifecycle.ProcessedCommandAsync(requestId, cancellationToken) is not { } applied) return false;
        if (applied.EntityId != recognition.Id || applied.Command != command)
            throw new ValidationException([new FieldViolation("request_id", "was used for another command")]);
        return true;
    }

    private async Task<Domain.ApplicantStanding> Standing(Domain.Factory factory, Domain.Level level, Guid? exclude, CancellationToken cancellationToken)
    {
        var reference = await registry.ReferenceDataAsync(cancellationToken);
        return await lifecycle.StandingAsync(factory, level, exclude, reference.IsCity(factory.RegionCode), Today(), cancellationToken);
    }

    private async Task<Named<Domain.Application>> GetApplicationInScope(CallerScope caller, string id, CancellationToken cancellationToken) =>
        await lifecycle.GetApplicationAsync(caller, Violations.ParseId(id), cancellationToken) ?? throw new NotFoundException($"application {id} not found");

    private async Task<Named<Domain.Recognition>> GetRecognitionInScope(CallerScope caller, string id, CancellationToken cancellationToken) =>
        await lifecycle.GetRecognitionAsync(caller, Violations.ParseId(id), cancellationToken) ?? throw new NotFoundException($"recognition {id} not found");

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private DateOnly Today() => Domain.BusinessDates.Today(time);

}
