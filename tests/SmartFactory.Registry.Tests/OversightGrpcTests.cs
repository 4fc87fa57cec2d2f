using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;
using static SmartFactory.TestSupport.GrpcTesting;
using BusinessDates = SmartFactory.Registry.Domain.BusinessDates;

namespace SmartFactory.Registry.Tests;

/// <summary>
/// Recommendation lists and spot checks over gRPC, with real tokens, on a clock the tests move. Each test lives in a year
/// and in cities of its own: a draw's targets in a city depend on that city's candidates only.
/// </summary>
public class OversightGrpcTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly string[] AllAreas = RegistryFixture.AllAreas;

    private DateOnly Today => BusinessDates.Today(registry.Clock);

    [Fact]
    public async Task A_city_ranks_and_submits_its_recommendations_and_the_province_reads_them_in_order_003_第十一条()
    {
        registry.Clock.SetChinaDate(new DateOnly(2081, 4, 1));
        var wuhan = registry.City("420100");
        var (a, b, c) = (await AdvancedApplication("420100"), await AdvancedApplication("420100"), await AdvancedApplication("420100"));
        var xiangyang = await AdvancedApplication("420600");
        var campaign = a.Application.CampaignId;

        var list = await registry.Call<CreateRecommendationListRequest, RecommendationList>("CreateRecommendationList", new() { CampaignId = campaign }, wuhan);
        Assert.Equal((RecommendationListStatus.Draft, 2, "武汉市", Level.Advanced), (list.Status, list.Quota, list.RecommenderName, list.Level));
        await AssertStatus(StatusCode.AlreadyExists, () => registry.Call<CreateRecommendationListRequest, RecommendationList>("CreateRecommendationList",
            new() { CampaignId = campaign }, wuhan));
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<CreateRecommendationListRequest, RecommendationList>("CreateRecommendationList",
            new() { CampaignId = campaign }, registry.Province));

        // Another city's application, and more than the quota, are refused with every wrong field, and change nothing.
        var before = await Counts();
        var refused = await AssertStatus(StatusCode.InvalidArgument, () => SetEntries(list, wuhan, a.Application, xiangyang.Application, b.Application));
        Assert.Equal(["entries[1].application_id", "entries"], refused.FieldViolations.Select(v => v.Field));
        Assert.Equal(before, await Counts());

        list = await SetEntries(list, wuhan, c.Application, a.Application);
        list = await SetEntries(list, wuhan, a.Application, c.Application); // reordered: a first
        Assert.Equal([(1, a.Application.Id, a.Factory.Name), (2, c.Application.Id, c.Factory.Name)], list.Entries.Select(e => (e.Rank, e.ApplicationId, e.FactoryName)));
        await AssertStatus(StatusCode.Aborted, () => registry.Call<SubmitRecommendationListRequest, RecommendationList>("SubmitRecommendationList",
            new() { Id = list.Id, ExpectedVersion = 1 }, wuhan));

        // A draft is the city's alone; out of scope it does not exist.
        foreach (var other in new[] { registry.Province, registry.Ministry, registry.City("420600"), registry.EnterpriseToken(a.Owner.CreditCode) })
            await AssertStatus(StatusCode.NotFound, () => registry.Call<GetRecommendationListRequest, RecommendationList>("GetRecommendationList", new() { Id = list.Id }, other));
        Assert.Empty((await registry.Call<ListRecommendationListsRequest, ListRecommendationListsResponse>("ListRecommendationLists",
            new() { CampaignId = campaign }, registry.Province)).Lists);

        var submitted = await registry.Call<SubmitRecommendationListRequest, RecommendationList>("SubmitRecommendationList",
            new() { Id = list.Id, ExpectedVersion = list.Version }, wuhan);
        Assert.Equal(RecommendationListStatus.Submitted, submitted.Status);
        Assert.Equal(1, await registry.Database.ScalarAsync<int>(
            $"select count(*) from registry.audit_log where action = 'recommendation_list.submitted' and entity_id = '{list.Id}'"));
        Assert.Equal(1, await registry.Database.ScalarAsync<int>($"""
            select count(distinct xmin::text) from registry.audit_log where (action = 'recommendation_list.submitted' and entity_id = '{list.Id}')
              or (action = 'application.recommended' and entity_id in ('{a.Application.Id}', '{c.Application.Id}'))
            """));

        // The province, which recognizes advanced, reads it in rank order; the ministry does not.
        var read = await registry.Call<GetRecommendationListRequest, RecommendationList>("GetRecommendationList", new() { Id = list.Id }, registry.Province);
        Assert.Equal([(a.Application.Id, ApplicationStatus.Recommended, "武汉市"), (c.Application.Id, ApplicationStatus.Recommended, "武汉市")],
            read.Entries.Select(e => (e.ApplicationId, e.ApplicationStatus, e.RegionName)));
        Assert.Equal([list.Id], (await registry.Call<ListRecommendationListsRequest, ListRecommendationListsResponse>("ListRecommendationLists",
            new() { CampaignId = campaign }, registry.Province)).Lists.Select(l => l.Id));
        await AssertStatus(StatusCode.NotFound, () => registry.Call<GetRecommendationListRequest, RecommendationList>("GetRecommendationList", new() { Id = list.Id }, registry.Ministry));

        var readOnly = await AssertStatus(StatusCode.FailedPrecondition, () => SetEntries(submitted, wuhan, a.Application));
        Assert.Contains("read-only", readOnly.Status.Detail);
        var b2 = await registry.Call<GetApplicationRequest, Application>("GetApplication", new() { Id = b.Application.Id }, wuhan);
        var byReview = await AssertStatus(StatusCode.FailedPrecondition, () => registry.Call<ReviewApplicationRequest, Application>("ReviewApplication",
            new() { Id = b2.Id, ExpectedVersion = b2.Version, Action = ReviewAction.Recommend }, wuhan));
        Assert.Contains("recommendation list (推荐汇总表)", byReview.Status.Detail);

        var recommended = await Applications.VerifyAllAsync(registry.Invoker,
            await registry.Call<GetApplicationRequest, Application>("GetApplication", new() { Id = a.Application.Id }, registry.Province), registry.Province);
        var approved = await registry.Call<ReviewApplicationRequest, Application>("ReviewApplication",
            new() { Id = recommended.Id, ExpectedVersion = recommended.Version, Action = ReviewAction.Approve }, registry.Province);
        Assert.Equal(ApplicationStatus.Approved, approved.Status);
    }

    [Fact]
    public async Task A_drawn_round_is_reproduced_by_its_seed_and_each_sees_only_its_own_checks_003_第十条()
    {
        registry.Clock.SetChinaDate(new DateOnly(2082, 5, 10));
        var shiyan = new List<(Enterprise Owner, Recognition Recognition)>();
        for (var i = 0; i < 4; i++) shiyan.Add(await BasicRecognition("420300"));
        var jingmen = await BasicRecognition("420800");

        var request = new CreateSpotCheckRoundRequest { Name = "2082年基础级智能工厂抽查", Levels = { Level.Basic }, Draw = new SpotCheckDraw { PerCity = 2, Seed = 828 } };
        var round = await registry.Call<CreateSpotCheckRoundRequest, SpotCheckRound>("CreateSpotCheckRound", request, registry.Province);
        Assert.Equal(("drawn", (long?)828, 2, "province"), (round.Selection, round.Seed, round.PerCity, round.AuthorityRole));
        // A round lists its checks by city, not in the order they were drawn: the same targets compare as a set.
        var inShiyan = round.Checks.Where(c => c.RegionCode == "420300").Select(c => c.RecognitionId).Order().ToList();
        Assert.Equal(2, inShiyan.Count);
        Assert.Equal([jingmen.Recognition.Id], round.Checks.Where(c => c.RegionCode == "420800").Select(c => c.RecognitionId));
        Assert.All(round.Checks, c => Assert.Equal(SpotCheckStatus.Scheduled, c.Status));

        // The same seed over the same candidates: the same targets. No seed: one is generated and recorded.
        var again = await registry.Call<CreateSpotCheckRoundRequest, SpotCheckRound>("CreateSpotCheckRound", request, registry.Province);
        Assert.Equal(inShiyan, again.Checks.Where(c => c.RegionCode == "420300").Select(c => c.RecognitionId).Order());
        var generated = await registry.Call<CreateSpotCheckRoundRequest, SpotCheckRound>("CreateSpotCheckRound",
            new() { Name = "无种子", Levels = { Level.Basic }, Draw = new SpotCheckDraw { PerCity = 1 } }, registry.Province);
        Assert.NotNull(generated.Seed);
        Assert.Equal(round.CandidateCount, generated.CandidateCount);

        // The enterprise sees its own factory's check, not the round; a city its city's; another city nothing.
        var check = round.Checks.First(c => c.RegionCode == "420300");
        var owner = shiyan.Single(s => s.Recognition.Id == check.RecognitionId).Owner;
        var enterprise = registry.EnterpriseToken(owner.CreditCode);
        Assert.Equal(check.Id, (await registry.Call<GetSpotCheckRequest, SpotCheck>("GetSpotCheck", new() { Id = check.Id }, enterprise)).Id);
        var own = await registry.Call<ListSpotChecksRequest, ListSpotChecksResponse>("ListSpotChecks", new() { RoundId = round.Id }, enterprise);
        Assert.Equal([check.Id], own.Checks.Select(c => c.Id));
        await AssertStatus(StatusCode.NotFound, () => registry.Call<GetSpotCheckRoundRequest, SpotCheckRound>("GetSpotCheckRound", new() { Id = round.Id }, enterprise));
        Assert.Empty((await registry.Call<ListSpotCheckRoundsRequest, ListSpotCheckRoundsResponse>("ListSpotCheckRounds", new(), enterprise)).Rounds);
        var city = await registry.Call<ListSpotChecksRequest, ListSpotChecksResponse>("ListSpotChecks", new() { RoundId = round.Id }, registry.City("420300"));
        Assert.Equal(inShiyan, city.Checks.Select(c => c.RecognitionId).Order());
        await AssertStatus(StatusCode.NotFound, () => registry.Call<GetSpotCheckRequest, SpotCheck>("GetSpotCheck", new() { Id = check.Id }, registry.City("420800")));
        await AssertStatus(StatusCode.NotFound, () => registry.Call<GetSpotCheckRoundRequest, SpotCheckRound>("GetSpotCheckRound", new() { Id = round.Id }, registry.City("420300")));
        Assert.Equal(round.Checks.Count, (await registry.Call<GetSpotCheckRoundRequest, SpotCheckRound>("GetSpotCheckRound", new() { Id = round.Id }, registry.Ministry)).Checks.Count);

        // Rectification by a deadline after the inspection: the city sees the clock; a city does not record checks.
        await AssertStatus(StatusCode.PermissionDenied, () => Outcome(check, registry.City("420300"), SpotCheckOutcome.Passed));
        var rectifying = await registry.Call<RecordSpotCheckOutcomeRequest, SpotCheck>("RecordSpotCheckOutcome", new()
        {
            Id = check.Id, ExpectedVersion = check.Version, Findings = "生产数据未实时采集", InspectedOn = "2082-05-08",
            Outcome = SpotCheckOutcome.Rectification, RectificationDueOn = "2082-07-08",
        }, registry.Province);
        Assert.Equal((SpotCheckStatus.Rectifying, "2082-07-08"), (rectifying.Status, rectifying.RectificationDueOn));
        var clocks = await registry.Call<ListDeadlinesRequest, ListDeadlinesResponse>("ListDeadlines", new() { WithinDays = 90 }, registry.City("420300"));
        var due = Assert.Single(clocks.Deadlines, d => d.Kind == "spot_check_rectification_due");
        Assert.Equal((check.RecognitionId, "2082-07-08", 59), (due.RecognitionId, due.DueOn, due.DaysLeft));
        Assert.DoesNotContain((await registry.Call<ListDeadlinesRequest, ListDeadlinesResponse>("ListDeadlines", new() { WithinDays = 90 },
            registry.City("420800"))).Deadlines, d => d.Kind == "spot_check_rectification_due");
        var seen = await registry.Call<GetSpotCheckRequest, SpotCheck>("GetSpotCheck", new() { Id = check.Id }, enterprise);
        Assert.Equal(("生产数据未实时采集", "2082-07-08"), (seen.Findings, seen.RectificationDueOn));

        var rectified = await registry.Call<RecordSpotCheckFollowUpRequest, SpotCheck>("RecordSpotCheckFollowUp", new()
        {
            Id = check.Id, ExpectedVersion = rectifying.Version, Findings = "已完成数据采集改造", FollowedUpOn = "2082-05-10", Outcome = SpotCheckOutcome.Passed,
        }, registry.Province);
        Assert.Equal(SpotCheckStatus.Rectified, rectified.Status);
        Assert.Equal(RecognitionStatus.Active, (await GetRecognition(check.RecognitionId)).Status);
    }

    [Fact]
    public async Task A_removal_outcome_ends_the_recognition_with_its_ban_in_one_transaction_003_第二十条()
    {
        registry.Clock.SetChinaDate(new DateOnly(2083, 6, 2));
        var (owner, target) = await BasicRecognition("420900");
        var (_, ended) = await BasicRecognition("420900");

        // Chosen targets: live, in scope, of the round's levels; the ministry does not check basic factories.
        var wrong = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<CreateSpotCheckRoundRequest, SpotCheckRound>("CreateSpotCheckRound",
            new() { Name = "x", Levels = { Level.Advanced }, RecognitionIds = { target.Id, Guid.NewGuid().ToString() } }, registry.Province));
        Assert.Equal(["recognition_ids[0]", "recognition_ids[1]"], wrong.FieldViolations.Select(v => v.Field));
        var ministry = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<CreateSpotCheckRoundRequest, SpotCheckRound>("CreateSpotCheckRound",
            new() { Name = "x", Levels = { Level.Basic }, RecognitionIds = { target.Id } }, registry.Ministry));
        Assert.Equal(["levels[0]"], ministry.FieldViolations.Select(v => v.Field));
        await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<CreateSpotCheckRoundRequest, SpotCheckRound>("CreateSpotCheckRound",
            new() { Name = "x", Levels = { Level.Basic }, RecognitionIds = { target.Id } }, registry.City("420900")));

        var round = await registry.Call<CreateSpotCheckRoundRequest, SpotCheckRound>("CreateSpotCheckRound",
            new() { Name = "2083年专项抽查", Levels = { Level.Basic }, RecognitionIds = { target.Id, ended.Id } }, registry.Province);
        Assert.Equal(("chosen", (long?)null), (round.Selection, round.Seed));
        var check = round.Checks.Single(c => c.RecognitionId == target.Id);

        var removed = await registry.Call<RecordSpotCheckOutcomeRequest, SpotCheck>("RecordSpotCheckOutcome", new()
        {
            Id = check.Id, ExpectedVersion = check.Version, Findings = "关键绩效指标数据造假", InspectedOn = "2083-06-01",
            Outcome = SpotCheckOutcome.Removal, RemovalCause = RemovalCause.DataFraud,
        }, registry.Province);
        Assert.Equal((SpotCheckStatus.Removed, RemovalCause.DataFraud), (removed.Status, removed.RemovalCause));
        var recognition = await GetRecognition(target.Id);
        Assert.Equal((RecognitionStatus.Removed, "2086-06-02", "2083-06-02"), (recognition.Status, recognition.BanUntil, recognition.EndedOn));
        Assert.Contains("关键绩效指标数据造假", recognition.EndReason);
        Assert.Equal(1, await registry.Database.ScalarAsync<int>($"""
            select count(distinct xmin::text) from registry.audit_log
            where (action = 'spot_check.removed' and entity_id = '{check.Id}') or (action = 'recognition.removed' and entity_id = '{target.Id}')
            """));
        Assert.Equal(2, await registry.Database.ScalarAsync<int>($"""
            select count(*) from registry.audit_log
            where (action = 'spot_check.removed' and entity_id = '{check.Id}') or (action = 'recognition.removed' and entity_id = '{target.Id}')
            """));
        var banned = await AssertStatus(StatusCode.FailedPrecondition, () => Draft(owner, target.FactoryId, "420900", Level.Basic));
        Assert.Contains("may not apply again until 2086-06-02", banned.Status.Detail);

        // A recognition that ended meanwhile is not removed again, and the check's outcome is not kept without it.
        var other = round.Checks.Single(c => c.RecognitionId == ended.Id);
        await registry.Call<RevokeRecognitionRequest, Recognition>("RevokeRecognition",
            new() { Id = ended.Id, ExpectedVersion = ended.Version, Reason = "举报查实" }, registry.City("420900"));
        var before = await Counts();
        await AssertStatus(StatusCode.FailedPrecondition, () => registry.Call<RecordSpotCheckOutcomeRequest, SpotCheck>("RecordSpotCheckOutcome", new()
        {
            Id = other.Id, ExpectedVersion = other.Version, Findings = "现场不符", InspectedOn = "2083-06-01", Outcome = SpotCheckOutcome.Removal,
            RemovalCause = RemovalCause.SeriousDishonesty,
        }, registry.Province));
        Assert.Equal(before, await Counts());
        Assert.Equal(SpotCheckStatus.Scheduled, (await registry.Call<GetSpotCheckRequest, SpotCheck>("GetSpotCheck", new() { Id = other.Id }, registry.Province)).Status);
    }

    // ----- helpers: records made through the real calls each role makes

    private Task<RecommendationList> SetEntries(RecommendationList list, string token, params Application[] applications) =>
        registry.Call<SetRecommendationEntriesRequest, RecommendationList>("SetRecommendationEntries", new()
        {
            Id = list.Id, ExpectedVersion = list.Version,
            Entries = { applications.Select(a => new RecommendationEntryInput { ApplicationId = a.Id, Reason = "场景覆盖全面" }) },
        }, token);

    private Task<SpotCheck> Outcome(SpotCheck check, string token, SpotCheckOutcome outcome) =>
        registry.Call<RecordSpotCheckOutcomeRequest, SpotCheck>("RecordSpotCheckOutcome", new()
        {
            Id = check.Id, ExpectedVersion = check.Version, Findings = "符合", InspectedOn = Today.AddDays(-1).ToString("yyyy-MM-dd"), Outcome = outcome,
        }, token);

    private async Task<(Enterprise Owner, Recognition Recognition)> BasicRecognition(string region)
    {
        var owner = await registry.RegisterEnterprise(registry.Province, region);
        var factory = await registry.RegisterFactory(registry.Province, owner, region);
        var draft = await Draft(owner, factory.Id, region, Level.Basic);
        var submitted = await registry.Call<SubmitApplicationRequest, Application>("SubmitApplication",
            new() { Id = draft.Id, ExpectedVersion = draft.Version }, registry.EnterpriseToken(owner.CreditCode));
        var verified = await Applications.VerifyAllAsync(registry.Invoker, submitted, registry.City(region));
        var approved = await registry.Call<ReviewApplicationRequest, Application>("ReviewApplication",
            new() { Id = verified.Id, ExpectedVersion = verified.Version, Action = ReviewAction.Approve }, registry.City(region));
        var recognition = await registry.Call<TakeEffectRequest, Recognition>("TakeEffect",
            new() { ApplicationId = approved.Id, RequestId = Guid.NewGuid().ToString() }, registry.Issuer.ServiceToken());
        return (owner, recognition);
    }

    /// <summary>A factory of the region recognized basic, with its advanced application submitted.</summary>
    private async Task<(Enterprise Owner, Factory Factory, Application Application)> AdvancedApplication(string region)
    {
        var (owner, basic) = await BasicRecognition(region);
        var draft = await Draft(owner, basic.FactoryId, region, Level.Advanced);
        var submitted = await registry.Call<SubmitApplicationRequest, Application>("SubmitApplication",
            new() { Id = draft.Id, ExpectedVersion = draft.Version }, registry.EnterpriseToken(owner.CreditCode));
        var factory = await registry.Call<GetFactoryRequest, Factory>("GetFactory", new() { Id = basic.FactoryId }, registry.Province);
        return (owner, factory, submitted);
    }

    /// <summary>A draft ready to submit: the form whole and its dossier complete.</summary>
    private async Task<Application> Draft(Enterprise owner, string factoryId, string region, Level level)
    {
        var draft = await registry.Call<SaveApplicationRequest, Application>("SaveApplication", Applications.WithForm(new()
        {
            CampaignId = (await CampaignFor(level, region)).Id, FactoryId = factoryId,
            Maturity = new Maturity { Level = 3, AssessedOn = BusinessDates.Iso(Today.AddDays(-30)), CertificateRef = "SA-" + factoryId[..8] },
            CatalogEdition = "2025", ScenarioIds = { AllAreas },
        }), registry.EnterpriseToken(owner.CreditCode));
        await Dossiers.CompleteAsync(registry.Invoker, draft.Id, AllAreas, registry.EnterpriseToken(owner.CreditCode));
        return draft;
    }

    /// <summary>The city's basic round, or the province's advanced round with a quota of 2 for Wuhan and Xiangyang (complete by 30 June).</summary>
    private async Task<Campaign> CampaignFor(Level level, string region)
    {
        if (level == Level.Basic) return await Applications.BasicRoundAsync(registry.Invoker, registry.Issuer, region, Today);
        var year = Today.Month > 6 ? Today.Year + 1 : Today.Year;
        var existing = (await registry.Call<ListCampaignsRequest, ListCampaignsResponse>("ListCampaigns", new() { Year = year }, registry.Province))
            .Campaigns.SingleOrDefault(c => c.Level == level);
        if (existing is not null) return existing;
        var request = new CreateCampaignRequest
        {
            Level = level, Year = year, SubmissionOpensOn = BusinessDates.Iso(Today.AddDays(-10)), SubmissionClosesOn = $"{year}-06-30",
        };
        request.Quotas.Add(new[] { new Quota { RegionCode = "420100", Count = 2 }, new Quota { RegionCode = "420600", Count = 2 } });
        return await registry.Call<CreateCampaignRequest, Campaign>("CreateCampaign", request, registry.Province);
    }

    private Task<Recognition> GetRecognition(string id) =>
        registry.Call<GetRecognitionRequest, Recognition>("GetRecognition", new() { Id = id }, registry.Ministry);

    private async Task<string> Counts()
    {
        var counts = await Task.WhenAll(new[] { "applications", "recognitions", "audit_log", "recommendation_lists", "spot_checks", "spot_check_rounds" }
            .Select(t => registry.Database.ScalarAsync<int>($"select count(*) from registry.{t}")));
        return string.Join(",", counts);
    }
}
