using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;
using static SmartFactory.TestSupport.GrpcTesting;
using BusinessDates = SmartFactory.Registry.Domain.BusinessDates;
using ReferenceCatalogs = SmartFactory.Registry.Domain.ReferenceCatalogs;

namespace SmartFactory.Registry.Tests;

/// <summary>
/// Whole paths through the lifecycle over gRPC, with real tokens and the service's clock moved by the test. Each test
/// lives in a year of its own, so the campaigns and bans of one never meet another's.
/// </summary>
public class LifecycleGrpcTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly string[] AllAreas = RegistryFixture.AllAreas;

    private DateOnly Today => BusinessDates.Today(registry.Clock);

    [Fact]
    public async Task Apply_approve_take_effect_then_three_years_later_expired()
    {
        registry.Clock.SetChinaDate(new DateOnly(2030, 2, 10));
        var (owner, factory) = await NewFactory("420100");
        var recognition = await Recognize(owner, factory, Level.Basic);
        Assert.Equal((RecognitionStatus.Active, "2030-02-10", "2033-02-10"), (recognition.Status, recognition.EffectiveOn, recognition.ExpiresOn));

        registry.Clock.SetChinaDate(new DateOnly(2033, 2, 9));
        await registry.RunDailyJob();
        Assert.Equal(RecognitionStatus.Active, (await GetRecognition(recognition.Id)).Status);

        registry.Clock.SetChinaDate(new DateOnly(2033, 2, 10));
        Assert.True(await registry.RunDailyJob() >= 1);
        var expired = await GetRecognition(recognition.Id);
        Assert.Equal((RecognitionStatus.Expired, "2033-02-10", "validity of 3 years ended"), (expired.Status, expired.EndedOn, expired.EndReason));
        Assert.Equal(0, await registry.RunDailyJob());

        var feed = await registry.Call<ListChangesRequest, ListChangesResponse>("ListChanges", new() { Limit = 1000 }, registry.Province);
        Assert.Equal(["recognition.approved", "recognition.took_effect", "recognition.expired"],
            feed.Changes.Where(c => c.EntityId == recognition.Id).Select(c => c.Kind));
        Assert.Equal(feed.Changes.Select(c => c.Sequence).Order(), feed.Changes.Select(c => c.Sequence));
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<ListChangesRequest, ListChangesResponse>("ListChanges", new(),
            registry.EnterpriseToken(owner.CreditCode)));
    }

    [Fact]
    public async Task Taking_effect_twice_with_one_request_id_applies_once()
    {
        registry.Clock.SetChinaDate(new DateOnly(2031, 3, 3));
        var (owner, factory) = await NewFactory("420500");
        var approved = await Approve(owner, factory, Level.Basic);
        var basicCampaign = await CampaignFor(Level.Basic, factory.RegionCode);
        var refusedAgain = await AssertStatus(StatusCode.FailedPrecondition, () => Draft(owner, factory, basicCampaign));
        Assert.Contains("already has an open or approved 基础级 application", refusedAgain.Status.Detail);
        var command = new TakeEffectRequest { ApplicationId = approved.Id, RequestId = "notice-7/item-1" };
        var denied = await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<TakeEffectRequest, Recognition>("TakeEffect", command, registry.City("420500")));
        Assert.Contains("only the result of a publicity notice", denied.Status.Detail);
        var service = await ServiceToken();
        var first = await registry.Call<TakeEffectRequest, Recognition>("TakeEffect", command, service);
        var second = await registry.Call<TakeEffectRequest, Recognition>("TakeEffect", command, service);
        Assert.Equal((first.Version, first.Status), (second.Version, second.Status));
        Assert.Equal(1, await registry.Database.ScalarAsync<int>(
            $"select count(*) from registry.audit_log where action = 'recognition.took_effect' and entity_id = '{first.Id}'"));

        var other = await AssertStatus(StatusCode.FailedPrecondition, () => registry.Call<TakeEffectRequest, Recognition>("TakeEffect",
            new() { ApplicationId = approved.Id, RequestId = "notice-8/item-1" }, service));
        Assert.Contains("only a recognition pending publicity takes effect", other.Status.Detail);
    }

    [Fact]
    public async Task Climbing_to_excellent_supersedes_and_a_timely_renewal_extends_it()
    {
        registry.Clock.SetChinaDate(new DateOnly(2032, 4, 30));
        var (owner, factory) = await NewFactory("420600");
        var basic = await Recognize(owner, factory, Level.Basic);
        var advanced = await Recognize(owner, factory, Level.Advanced);
        Assert.Equal(RecognitionStatus.Superseded, (await GetRecognition(basic.Id)).Status);
        var excellent = await Recognize(owner, factory, Level.Excellent);
        Assert.Equal(RecognitionStatus.Superseded, (await GetRecognition(advanced.Id)).Status);
        Assert.Equal("2035-04-30", excellent.ExpiresOn);

        registry.Clock.SetChinaDate(new DateOnly(2034, 12, 1));
        var clocks = await registry.Call<ListDeadlinesRequest, ListDeadlinesResponse>("ListDeadlines", new() { WithinDays = 90 }, registry.City("420600"));
        var due = Assert.Single(clocks.Deadlines, d => d.RecognitionId == excellent.Id);
        Assert.Equal(("renewal_application_due", "2035-01-30", 60), (due.Kind, due.DueOn, due.DaysLeft)); // 30 April less 3 months

        registry.Clock.SetChinaDate(new DateOnly(2035, 1, 30));
        var applied = await registry.Call<RecognitionActionRequest, Recognition>("ApplyForRenewal",
            new() { Id = excellent.Id, ExpectedVersion = excellent.Version }, registry.EnterpriseToken(owner.CreditCode));
        Assert.Equal("applied", applied.Renewal);
        var renewed = await registry.Call<DecisionRequest, Recognition>("DecideRenewal",
            new() { Id = excellent.Id, ExpectedVersion = applied.Version, Passed = true, Comments = "复核通过" }, registry.Ministry);
        Assert.Equal(("2038-04-30", RecognitionStatus.Active), (renewed.ExpiresOn, renewed.Status));
    }

    [Fact]
    public async Task A_late_renewal_is_refused_unchanged_and_the_recognition_is_cancelled_at_expiry()
    {
        registry.Clock.SetChinaDate(new DateOnly(2040, 5, 31));
        var (owner, factory) = await NewFactory("421000");
        await Recognize(owner, factory, Level.Basic);
        await Recognize(owner, factory, Level.Advanced);
        var excellent = await Recognize(owner, factory, Level.Excellent);

        registry.Clock.SetChinaDate(new DateOnly(2043, 3, 1));
        var before = await Counts();
        var late = await AssertStatus(StatusCode.FailedPrecondition, () => registry.Call<RecognitionActionRequest, Recognition>("ApplyForRenewal",
            new() { Id = excellent.Id, ExpectedVersion = excellent.Version }, registry.EnterpriseToken(owner.CreditCode)));
        Assert.Equal("re-examination had to be applied for by 2043-02-28, 3 months before expiry on 2043-05-31", late.Status.Detail);
        Assert.Equal(before, await Counts());

        registry.Clock.SetChinaDate(new DateOnly(2043, 5, 31));
        await registry.RunDailyJob();
        var cancelled = await GetRecognition(excellent.Id);
        Assert.Equal((RecognitionStatus.Cancelled, "no re-examination applied for (有效期满未申请复核)"), (cancelled.Status, cancelled.EndReason));
    }

    [Fact]
    public async Task Removal_bans_the_enterprise_until_three_years_have_passed()
    {
        registry.Clock.SetChinaDate(new DateOnly(2050, 3, 1));
        var (owner, factory) = await NewFactory("420200");
        var basic = await Recognize(owner, factory, Level.Basic);
        var removed = await registry.Call<RemoveRecognitionRequest, Recognition>("RemoveRecognition", new()
        {
            Id = basic.Id, ExpectedVersion = basic.Version, Cause = RemovalCause.DataFraud, Description = "申报数据造假", OccurredOn = "2050-02-20",
        }, registry.City("420200"));
        Assert.Equal((RecognitionStatus.Removed, "2053-03-01"), (removed.Status, removed.BanUntil));

        var second = await registry.RegisterFactory(registry.Province, owner, "420200");
        var campaign = await CampaignFor(Level.Basic, factory.RegionCode);
        var before = await Counts();
        var refused = await AssertStatus(StatusCode.FailedPrecondition, () => Draft(owner, second, campaign));
        Assert.Contains("may not apply again until 2053-03-01", refused.Status.Detail);
        Assert.Equal(before, await Counts());

        registry.Clock.SetChinaDate(new DateOnly(2053, 3, 1));
        var again = await Draft(owner, second, await CampaignFor(Level.Basic, factory.RegionCode));
        Assert.Equal(ApplicationStatus.Draft, again.Status);
    }

    [Fact]
    public async Task Every_refusal_answers_its_status_and_changes_nothing()
    {
        registry.Clock.SetChinaDate(new DateOnly(2060, 6, 1));
        var (owner, factory) = await NewFactory("421100");
        var enterprise = registry.EnterpriseToken(owner.CreditCode);
        var basicCampaign = await CampaignFor(Level.Basic, factory.RegionCode);
        var advancedCampaign = await CampaignFor(Level.Advanced);
        var draft = await registry.Call<SaveApplicationRequest, Application>("SaveApplication",
            new() { CampaignId = basicCampaign.Id, FactoryId = factory.Id }, enterprise);
        var before = await Counts();

        var incomplete = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<SubmitApplicationRequest, Application>("SubmitApplication",
            new() { Id = draft.Id, ExpectedVersion = draft.Version }, enterprise));
        Assert.Contains("truthfulness_declared", incomplete.FieldViolations.Select(v => v.Field));

        var order = await AssertStatus(StatusCode.FailedPrecondition, () => Draft(owner, factory, advancedCampaign));
        Assert.Contains("先进级 needs a current 基础级 recognition", order.Status.Detail);
        await AssertStatus(StatusCode.FailedPrecondition, () => Draft(owner, factory, basicCampaign)); // a second open basic application
        await AssertStatus(StatusCode.Aborted, () => registry.Call<SubmitApplicationRequest, Application>("SubmitApplication",
            new() { Id = draft.Id, ExpectedVersion = 7 }, enterprise));
        await AssertStatus(StatusCode.NotFound, () => registry.Call<GetApplicationRequest, Application>("GetApplication",
            new() { Id = draft.Id }, registry.City("420100")));
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<SaveApplicationRequest, Application>("SaveApplication",
            new() { CampaignId = basicCampaign.Id, FactoryId = factory.Id }, registry.City("421100")));
        await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<SaveApplicationRequest, Application>("SaveApplication", new()
        {
            CampaignId = basicCampaign.Id, FactoryId = factory.Id, CatalogEdition = "2025", ScenarioIds = { "2025-99" },
            Kpis = { new KpiValue { KpiId = "K99", Value = 1 } },
        }, enterprise));
        await AssertStatus(StatusCode.AlreadyExists, () => registry.Call<CreateCampaignRequest, Campaign>("CreateCampaign", new()
        {
            Level = Level.Basic, Year = basicCampaign.Year, SubmissionOpensOn = basicCampaign.SubmissionOpensOn, SubmissionClosesOn = basicCampaign.SubmissionClosesOn,
        }, registry.City("421100")));
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<CreateCampaignRequest, Campaign>("CreateCampaign", new()
        {
            Level = Level.Basic, Year = basicCampaign.Year, SubmissionOpensOn = basicCampaign.SubmissionOpensOn, SubmissionClosesOn = basicCampaign.SubmissionClosesOn,
        }, registry.Province));
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task The_notices_service_with_its_own_token_delivers_a_closed_notice_once_per_request_id()
    {
        registry.Clock.SetChinaDate(new DateOnly(2070, 4, 1));
        var (owner, factory) = await NewFactory("420700");
        var (objectedOwner, objectedFactory) = await NewFactory("420700");
        var accepted = await Approve(owner, factory, Level.Basic);
        var objected = await Approve(objectedOwner, objectedFactory, Level.Basic);
        var service = await ServiceToken();

        var takeEffect = new TakeEffectRequest { ApplicationId = accepted.Id, RequestId = "notice-70/item-1" };
        var active = await registry.Call<TakeEffectRequest, Recognition>("TakeEffect", takeEffect, service);
        var again = await registry.Call<TakeEffectRequest, Recognition>("TakeEffect", takeEffect, service);
        Assert.Equal((RecognitionStatus.Active, "2070-04-01", "service"), (active.Status, active.EffectiveOn, active.History[^1].ActorRole));
        Assert.Equal(active.Version, again.Version);

        var withdraw = new WithdrawAfterPublicityRequest { ApplicationId = objected.Id, RequestId = "notice-70/item-2", Reason = "异议经核实成立：场景材料不实" };
        var withdrawn = await registry.Call<WithdrawAfterPublicityRequest, Recognition>("WithdrawAfterPublicity", withdraw, service);
        var twice = await registry.Call<WithdrawAfterPublicityRequest, Recognition>("WithdrawAfterPublicity", withdraw, service);
        Assert.Equal((RecognitionStatus.Cancelled, "2070-04-01", "objection upheld during publicity (公示异议成立): 异议经核实成立：场景材料不实"),
            (withdrawn.Status, withdrawn.EndedOn, withdrawn.EndReason));
        Assert.Equal((withdrawn.Version, withdrawn.Status), (twice.Version, twice.Status));

        // Each command applied once: one audit row and one feed entry per change.
        foreach (var (action, id) in new[] { ("recognition.took_effect", active.Id), ("recognition.cancelled", withdrawn.Id),
            ("application.rejected_after_publicity", objected.Id) })
        {
            Assert.Equal(1, await registry.Database.ScalarAsync<int>(
                $"select count(*) from registry.audit_log where action = '{action}' and entity_id = '{id}' and actor_role = 'service'"));
            Assert.Equal(1, await registry.Database.ScalarAsync<int>($"select count(*) from registry.changes where kind = '{action}' and entity_id = '{id}'"));
        }

        // The withdrawn application is rejected with the reason in its history, and no longer stands in the way of a new one.
        var rejected = await registry.Call<GetApplicationRequest, Application>("GetApplication", new() { Id = objected.Id }, registry.City("420700"));
        Assert.Equal((ApplicationStatus.Rejected, objected.Version + 1, withdrawn.Id), (rejected.Status, rejected.Version, rejected.RecognitionId));
        var entry = rejected.History[^1];
        Assert.Equal(("rejected_after_publicity", "service", "smartfactory-notices"), (entry.Action, entry.ActorRole, entry.ActorName));
        Assert.Contains("异议经核实成立：场景材料不实", entry.Comments);
        Assert.Equal(ApplicationStatus.Draft, (await Draft(objectedOwner, objectedFactory, await CampaignFor(Level.Basic, objectedFactory.RegionCode))).Status);

        // A request id is one command: reused for another command or recognition it is refused; a live one is not withdrawn.
        var reused = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<WithdrawAfterPublicityRequest, Recognition>("WithdrawAfterPublicity",
            new() { ApplicationId = accepted.Id, RequestId = "notice-70/item-1", Reason = "异议成立" }, service));
        Assert.Contains("request_id", reused.FieldViolations.Select(v => v.Field));
        await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<TakeEffectRequest, Recognition>("TakeEffect",
            new() { ApplicationId = accepted.Id, RequestId = "notice-70/item-2" }, service));
        var late = await AssertStatus(StatusCode.FailedPrecondition, () => registry.Call<WithdrawAfterPublicityRequest, Recognition>("WithdrawAfterPublicity",
            new() { ApplicationId = accepted.Id, RequestId = "notice-71/item-1", Reason = "异议成立" }, service));
        Assert.Contains("only a recognition pending publicity", late.Status.Detail);
        var noReason = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<WithdrawAfterPublicityRequest, Recognition>("WithdrawAfterPublicity",
            new() { ApplicationId = accepted.Id, RequestId = "notice-71/item-2" }, service));
        Assert.Equal(["reason"], noReason.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task A_service_token_reads_every_region_but_decides_nothing()
    {
        registry.Clock.SetChinaDate(new DateOnly(2071, 5, 6));
        var (xiaoganOwner, xiaogan) = await NewFactory("420900");
        var (xianningOwner, xianning) = await NewFactory("421200");
        var approved = await Approve(xiaoganOwner, xiaogan, Level.Basic);
        var recognized = await Recognize(xianningOwner, xianning, Level.Basic);
        var draft = await Draft(xianningOwner, xianning, await CampaignFor(Level.Advanced));
        var submitted = await registry.Call<SubmitApplicationRequest, Application>("SubmitApplication",
            new() { Id = draft.Id, ExpectedVersion = draft.Version }, registry.EnterpriseToken(xianningOwner.CreditCode));
        var service = await ServiceToken();

        // Reads: a trusted backend sees both cities.
        Assert.Equal(ApplicationStatus.Approved, (await registry.Call<GetApplicationRequest, Application>("GetApplication", new() { Id = approved.Id }, service)).Status);
        Assert.Equal(RecognitionStatus.Active, (await registry.Call<GetRecognitionRequest, Recognition>("GetRecognition", new() { Id = recognized.Id }, service)).Status);
        // The change feed too: the catalog pulls it with its service account.
        Assert.NotEmpty((await registry.Call<ListChangesRequest, ListChangesResponse>("ListChanges", new() { Limit = 10 }, service)).Changes);

        // Decisions stay with the authorities.
        var before = await Counts();
        var review = await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<ReviewApplicationRequest, Application>("ReviewApplication",
            new() { Id = submitted.Id, ExpectedVersion = submitted.Version, Action = ReviewAction.Recommend }, service));
        Assert.Contains("the city reviews", review.Status.Detail);
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<RevokeRecognitionRequest, Recognition>("RevokeRecognition",
            new() { Id = recognized.Id, ExpectedVersion = recognized.Version, Reason = "举报查实" }, service));
        await AssertStatus(StatusCode.PermissionDenied, () => registry.RegisterEnterprise(service, "420900"));
        Assert.Equal(before, await Counts());

        // No official delivers a publicity's result: another city does not even see the application, its own is refused.
        await AssertStatus(StatusCode.NotFound, () => registry.Call<WithdrawAfterPublicityRequest, Recognition>("WithdrawAfterPublicity",
            new() { ApplicationId = approved.Id, RequestId = "notice-72/item-1", Reason = "异议成立" }, registry.City("421200")));
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<WithdrawAfterPublicityRequest, Recognition>("WithdrawAfterPublicity",
            new() { ApplicationId = approved.Id, RequestId = "notice-72/item-1", Reason = "异议成立" }, registry.City("420900")));
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<TakeEffectRequest, Recognition>("TakeEffect",
            new() { ApplicationId = approved.Id, RequestId = "notice-72/item-1" }, registry.City("420900")));
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task The_token_endpoint_refuses_a_wrong_secret_as_keycloak_does()
    {
        registry.Issuer.RegisterClient("smartfactory-notices", NoticesSecret);
        using var http = new HttpClient();
        var response = await http.PostAsync($"{registry.Issuer.Authority}/protocol/openid-connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "smartfactory-notices", ["client_secret"] = "guessed",
        }));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthorized_client", body.RootElement.GetProperty("error").GetString());
    }

    // ----- helpers: a factory carried through the real calls each role makes

    private const string NoticesSecret = "notices-test-secret";

    [Fact]
    public async Task MIITs_decision_recognizes_excellent_in_one_transaction_recorded_once_and_managed_by_the_ministry_004_四()
    {
        registry.Clock.SetChinaDate(new DateOnly(2072, 5, 10));
        var (owner, factory) = await NewFactory("420500");
        await Recognize(owner, factory, Level.Basic);
        var advanced = await Recognize(owner, factory, Level.Advanced);
        var recommended = await Approve(owner, factory, Level.Excellent);
        var (other, otherFactory) = await NewFactory("420500");
        var draft = await Draft(other, otherFactory, await CampaignFor(Level.Basic, "420500"));
        RecordNationalDecisionRequest Decision(params string[] ids) => new()
        {
            CampaignId = recommended.CampaignId, DocumentNumber = "工信厅联通装函〔2072〕51号", DecidedOn = "2072-05-08",
            ListName = "2072年度卓越级智能工厂名单", ApplicationIds = { ids },
        };

        var before = await Counts();
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<RecordNationalDecisionRequest, NationalDecision>("RecordNationalDecision",
            Decision(recommended.Id), registry.Province));
        var wrong = await AssertStatus(StatusCode.FailedPrecondition, () => registry.Call<RecordNationalDecisionRequest, NationalDecision>("RecordNationalDecision",
            Decision(recommended.Id, draft.Id), registry.Ministry));
        Assert.Contains($"application {draft.Id} is not in the 2072 卓越级 round", wrong.Status.Detail);
        Assert.Equal(before, await Counts());

        var decision = await registry.Call<RecordNationalDecisionRequest, NationalDecision>("RecordNationalDecision", Decision(recommended.Id), registry.Ministry);
        var excellent = await GetRecognition(Assert.Single(decision.RecognitionIds));
        Assert.Equal((RecognitionStatus.Active, "2072-05-08", "2075-05-08", "工信厅联通装函〔2072〕51号"),
            (excellent.Status, excellent.EffectiveOn, excellent.ExpiresOn, excellent.NationalDecision));
        Assert.Equal(RecognitionStatus.Superseded, (await GetRecognition(advanced.Id)).Status);
        Assert.Equal(DecisionSource.Entered, Assert.Single((await registry.Call<ListNationalDecisionsRequest, ListNationalDecisionsResponse>(
            "ListNationalDecisions", new() { Year = 2072 }, registry.City("420500"))).Decisions).Source);
        var feed = await registry.Call<ListChangesRequest, ListChangesResponse>("ListChanges", new() { Limit = 1000 }, registry.Province);
        Assert.Contains(feed.Changes, c => c.Kind == "national_decision.recorded" && c.EntityId == decision.Id);
        await AssertStatus(StatusCode.AlreadyExists, () => registry.Call<RecordNationalDecisionRequest, NationalDecision>("RecordNationalDecision",
            Decision(recommended.Id), registry.Ministry));

        var plaque = await registry.Call<RecordPlaqueRequest, Recognition>("RecordPlaque",
            new() { Id = excellent.Id, ExpectedVersion = excellent.Version, AwardedOn = "2072-05-10" }, registry.Ministry);
        Assert.Equal("2072-05-10", plaque.PlaqueAwardedOn);
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<RemoveRecognitionRequest, Recognition>("RemoveRecognition", new()
        {
            Id = excellent.Id, ExpectedVersion = plaque.Version, Cause = RemovalCause.Other, Description = "违规转让生产线",
        }, registry.Province));
        var removed = await registry.Call<RemoveRecognitionRequest, Recognition>("RemoveRecognition", new()
        {
            Id = excellent.Id, ExpectedVersion = plaque.Version, Cause = RemovalCause.Other, Description = "违规转让生产线",
        }, registry.Ministry);
        Assert.Equal((RecognitionStatus.Removed, "2075-05-10"), (removed.Status, removed.BanUntil));
    }

    [Fact]
    public async Task A_city_configures_and_closes_its_round_once_everything_in_it_is_through_publicity_003_第十条()
    {
        registry.Clock.SetChinaDate(new DateOnly(2074, 1, 10));
        var (owner, factory) = await NewFactory("421100");
        var round = await CampaignFor(Level.Basic, "421100");
        Assert.Equal(("421100", "2074-03-31", 80), (round.RegionCode, round.CompleteBy, round.DaysLeft));
        var approved = await Approve(owner, factory, Level.Basic);
        var city = registry.City("421100");

        var refused = await AssertStatus(StatusCode.FailedPrecondition, () => registry.Call<CampaignActionRequest, Campaign>("CloseCampaign",
            new() { Id = round.Id, ExpectedVersion = round.Version }, city));
        Assert.Contains("submissions are open until 2074-03-31", refused.Status.Detail);
        Assert.Contains("1 approved factory(ies) still await publicity (公示) and filing", refused.Status.Detail);
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<UpdateCampaignRequest, Campaign>("UpdateCampaign", new()
        {
            Id = round.Id, ExpectedVersion = round.Version, SubmissionOpensOn = round.SubmissionOpensOn, SubmissionClosesOn = "2074-02-01",
        }, registry.City("420100")));
        var configured = await registry.Call<UpdateCampaignRequest, Campaign>("UpdateCampaign", new()
        {
            Id = round.Id, ExpectedVersion = round.Version, SubmissionOpensOn = round.SubmissionOpensOn, SubmissionClosesOn = "2074-02-01",
        }, city);
        await registry.Call<TakeEffectRequest, Recognition>("TakeEffect", new() { ApplicationId = approved.Id, RequestId = Guid.NewGuid().ToString() }, await ServiceToken());

        registry.Clock.SetChinaDate(new DateOnly(2074, 3, 20));
        var clocks = await registry.Call<ListDeadlinesRequest, ListDeadlinesResponse>("ListDeadlines", new() { WithinDays = 30 }, city);
        var countdown = Assert.Single(clocks.Deadlines, d => d.Kind == "round_complete_by");
        Assert.Equal((round.Id, "2074-03-31", 11), (countdown.CampaignId, countdown.DueOn, countdown.DaysLeft));
        var closed = await registry.Call<CampaignActionRequest, Campaign>("CloseCampaign", new() { Id = round.Id, ExpectedVersion = configured.Version }, city);
        Assert.Equal((CampaignStatus.Closed, "2074-03-20"), (closed.Status, closed.ClosedOn));
        Assert.Equal(1, await registry.Database.ScalarAsync<int>($"select count(*) from registry.audit_log where action = 'campaign.closed' and entity_id = '{round.Id}'"));
        Assert.DoesNotContain((await registry.Call<ListDeadlinesRequest, ListDeadlinesResponse>("ListDeadlines", new() { WithinDays = 30 }, city)).Deadlines,
            d => d.CampaignId == round.Id);
    }

    /// <summary>The notices service's token as its relay gets it: client credentials at the realm's token endpoint.</summary>
    private async Task<string> ServiceToken()
    {
        registry.Issuer.RegisterClient("smartfactory-notices", NoticesSecret);
        using var http = new HttpClient();
        using var discovery = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{registry.Issuer.Authority}/.well-known/openid-configuration"));
        var response = await http.PostAsync(discovery.RootElement.GetProperty("token_endpoint").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "smartfactory-notices", ["client_secret"] = NoticesSecret,
        }));
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<(Enterprise Owner, Factory Factory)> NewFactory(string region)
    {
        var owner = await registry.RegisterEnterprise(registry.Province, region);
        return (owner, await registry.RegisterFactory(registry.Province, owner, region));
    }

    private Task<Campaign> CampaignFor(Level level, string region = "420100") =>
        Applications.RoundAsync(registry.Invoker, registry.Issuer, level, region, Today);

    /// <summary>A draft ready to submit: the form whole, and its dossier complete.</summary>
    private async Task<Application> Draft(Enterprise owner, Factory factory, Campaign campaign)
    {
        var draft = await registry.Call<SaveApplicationRequest, Application>("SaveApplication", Applications.WithForm(new()
        {
            CampaignId = campaign.Id, FactoryId = factory.Id,
            Maturity = new Maturity { Level = 4, AssessedOn = BusinessDates.Iso(Today.AddDays(-30)), CertificateRef = "SA-" + factory.Id[..8] },
            CatalogEdition = "2025", ScenarioIds = { AllAreas }, Kpis = { new KpiValue { KpiId = "K01", Value = 92.5 } },
        }), registry.EnterpriseToken(owner.CreditCode));
        await Dossiers.CompleteAsync(registry.Invoker, draft.Id, AllAreas, registry.EnterpriseToken(owner.CreditCode));
        return draft;
    }

    /// <summary>
    /// Submitted and taken through its reviews: approved by its recognizer (basic, advanced), or recommended by the
    /// province (excellent, leading), waiting for MIIT's decision.
    /// </summary>
    private async Task<Application> Approve(Enterprise owner, Factory factory, Level level)
    {
        var draft = await Draft(owner, factory, await CampaignFor(level, factory.RegionCode));
        var application = await registry.Call<SubmitApplicationRequest, Application>("SubmitApplication",
            new() { Id = draft.Id, ExpectedVersion = draft.Version }, registry.EnterpriseToken(owner.CreditCode));
        // Above basic, the recommender passes it up on its ranked list (推荐汇总表), then the recognizer decides.
        (string? recommender, string? recognizer) = level switch
        {
            Level.Basic => (null, registry.City(factory.RegionCode)),
            Level.Advanced => (registry.City(factory.RegionCode), registry.Province),
            _ => (registry.Province, null),
        };
        if (recommender is not null) application = await Recommend(registry, application, recommender);
        if (recognizer is null) return application; // excellent and leading: MIIT's decision, see Recognize
        application = await Applications.VerifyAllAsync(registry.Invoker, application, recognizer);
        application = await registry.Call<ReviewApplicationRequest, Application>("ReviewApplication",
            new() { Id = application.Id, ExpectedVersion = application.Version, Action = ReviewAction.Approve }, recognizer);
        Assert.Equal(ApplicationStatus.Approved, application.Status);
        return application;
    }
    /// <summary>The application alone on a new recommendation list of its campaign, submitted: recommended at rank 1.</summary>
    internal static async Task<Application> Recommend(RegistryFixture registry, Application application, string recommender)
    {
        var list = await registry.Call<CreateRecommendationListRequest, RecommendationList>("CreateRecommendationList",
            new() { CampaignId = application.CampaignId }, recommender);
        list = await registry.Call<SetRecommendationEntriesRequest, RecommendationList>("SetRecommendationEntries",
            new() { Id = list.Id, ExpectedVersion = list.Version, Entries = { new RecommendationEntryInput { ApplicationId = application.Id } } }, recommender);
        await registry.Call<SubmitRecommendationListRequest, RecommendationList>("SubmitRecommendationList",
            new() { Id = list.Id, ExpectedVersion = list.Version }, recommender);
        var recommended = await registry.Call<GetApplicationRequest, Application>("GetApplication", new() { Id = application.Id }, recommender);
        Assert.Equal(ApplicationStatus.Recommended, recommended.Status);
        return recommended;
    }

    /// <summary>
    /// Recognized: basic and advanced by what the notices service delivers once the notice listing it has closed;
    /// excellent and leading by MIIT's decision, recorded by the ministry.
    /// </summary>
    private async Task<Recognition> Recognize(Enterprise owner, Factory factory, Level level)
    {
        var approved = await Approve(owner, factory, level);
        if (level <= Level.Advanced)
            return await registry.Call<TakeEffectRequest, Recognition>("TakeEffect",
                new() { ApplicationId = approved.Id, RequestId = Guid.NewGuid().ToString() }, await ServiceToken());
        var decision = await registry.Call<RecordNationalDecisionRequest, NationalDecision>("RecordNationalDecision", new()
        {
            CampaignId = approved.CampaignId, DocumentNumber = $"工信厅联通装函〔{Today.Year}〕{Random.Shared.Next(100000)}号", DecidedOn = BusinessDates.Iso(Today),
            ListName = $"{Today.Year}年度智能工厂名单", ApplicationIds = { approved.Id },
        }, registry.Ministry);
        return await GetRecognition(Assert.Single(decision.RecognitionIds));
    }

    private Task<Recognition> GetRecognition(string id) =>
        registry.Call<GetRecognitionRequest, Recognition>("GetRecognition", new() { Id = id }, registry.Ministry);

    private async Task<string> Counts()
    {
        var counts = await Task.WhenAll(new[] { "applications", "recognitions", "audit_log", "changes", "campaigns" }
            .Select(t => registry.Database.ScalarAsync<int>($"select count(*) from registry.{t}")));
        return string.Join(",", counts);
    }

}
