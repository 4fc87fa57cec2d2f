using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.TestSupport;

namespace SmartFactory.Registry.Tests;

/// <summary>The lifecycle rules of DOMAIN.md and seeds 003/004, as plain unit tests on business dates.</summary>
public class LifecycleRulesTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 2, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Today = new(2026, 3, 1);
    private static readonly ReferenceCatalogs Catalogs = ReferenceFiles.Read();
    private static readonly CallerScope Company = Scopes.Enterprise("91420100MA4KL3XK1L");
    private static readonly ApplicantStanding Clean = new(null, null, true, null, "420100", "36");
    /// <summary>The notices service delivering a closed notice's result: the only caller that makes recognitions take effect.</summary>

    private static Campaign Campaign(Level level, Dictionary<string, int>? quotas = null) =>
        new(Guid.NewGuid(), level, 2026, level switch { Level.Basic => "420100", Level.Advanced => "420000", _ => "000000" }, "2025",
            new DateOnly(2026, 1, 10), new DateOnly(2026, 3, 15), new DateOnly(2026, 6, 30), quotas ?? [], CampaignStatus.Open, null, "", null, 1, Now);

    private static ApplicationForm Form(int maturity = 4, params string[] scenarios) => new(maturity, new DateOnly(2025, 12, 1), "SA-2025-001", "2025",
        scenarios.Length > 0 ? scenarios : AllAreas, new Dictionary<string, double> { ["K01"] = 85.5 }, true,
        [.. BasicRequirements.All.Select(r => new Declaration(r.Code, true, ""))], 52000, LegalForm.Independent);

    // One scenario from each construction area of the 2025 catalog.
    private static readonly string[] AllAreas = Catalogs.Edition("2025")!.Stages.GroupBy(s => s.Area).Select(g => g.First().Scenarios[0].Id).ToArray();
    private static string[] Only(ConstructionArea area) => [Catalogs.Edition("2025")!.Stages.First(s => s.Area == area).Scenarios[0].Id];

    private static Application Submitted(Level level, ApplicantStanding? standing = null, ApplicationForm? form = null, Campaign? campaign = null)
    {
        campaign ??= Campaign(level);
        var draft = Application.Start(Company, Guid.NewGuid(), Guid.NewGuid(), campaign, form ?? Form(), standing ?? Clean, Today, Guid.NewGuid(), Now);
        return draft.Submit(Company, 1, campaign, standing ?? Clean, Catalogs, Today, Now);
    }

    /// <summary>The reviewer's finding that every declared requirement is met, as approval needs.</summary>
    private static Application Verified(Application application, CallerScope reviewer) =>
        application.Verify(reviewer, application.Version, [.. BasicRequirements.All.Select(r => new Verification(r.Code, true, "", null, "city", "审核人", Now))], Now);

    private static NationalDecision Decision(Level level, DateOnly on, DateOnly? cultivationEndsOn = null) =>
        NationalDecision.Record(Scopes.Ministry, Campaign(level), "工信厅联通装函〔2026〕1号", on.ToString("yyyy-MM-dd"), $"2026年度{level.Chinese()}智能工厂名单",
            [Guid.NewGuid().ToString()], cultivationEndsOn?.ToString("yyyy-MM-dd"), DecisionSource.Entered, on, Guid.NewGuid(), Now);

    /// <summary>A leading factory selected by MIIT's decision on <paramref name="on"/>: in cultivation.</summary>
    private static Recognition Selected(DateOnly on, DateOnly? cultivationEndsOn = null)
    {
        var application = Submitted(Level.Leading, new ApplicantStanding(Level.Excellent, null, true, null, "420100", "36")) with { Status = ApplicationStatus.Recommended };
        return Recognition.FromNationalDecision(application, Decision(Level.Leading, on, cultivationEndsOn), on.Year, Scopes.Ministry, Guid.NewGuid(), Now);
    }

    private static Recognition Active(Level level, DateOnly effectiveOn)
    {
        var application = Submitted(level, new ApplicantStanding(level.Prerequisite(), null, true, null, "420100", "36")) with { Status = ApplicationStatus.Approved };
        var pending = Recognition.FromApproval(application with { Level = level == Level.Leading ? Level.Excellent : level }, 2026, Scopes.Hubei, effectiveOn, Guid.NewGuid(), Now);
        var recognizer = level switch { Level.Basic => Scopes.Wuhan, Level.Advanced => Scopes.Hubei, _ => Scopes.Ministry };
        return (pending with { Level = level }).TakeEffect(PublicityResult, effectiveOn, effectiveOn, Now);
    }

    [Fact]
    public void Today_is_the_date_in_China_not_in_UTC()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 12, 31, 17, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2027, 1, 1), clock.Today());
    }

    [Fact]
    public void Every_refusal_is_said_at_once_in_the_rules_words()
    {
        var standing = new ApplicantStanding(null, new DateOnly(2027, 5, 1), false, Guid.NewGuid(), "420100", "36");
        var campaign = Campaign(Level.Advanced) with { SubmissionClosesOn = new DateOnly(2026, 2, 1) };
        var draft = new Application(Guid.NewGuid(), campaign.Id, Guid.NewGuid(), Guid.NewGuid(), Level.Advanced, ApplicationStatus.Draft,
            Form(1, Only(ConstructionArea.ProductionOperations)), [], [], null, null, 1, Now, Now, []);
        var error = Assert.Throws<RuleViolationException>(() => draft.Submit(Company, 1, campaign, standing, Catalogs, Today, Now));
        Assert.Equal(
        [
            "the 2026 先进级 campaign closed on 2026-02-01",
            "the factory is not in this province (在湖北省内工商注册登记)",
            "先进级 needs a current 基础级 recognition; the factory holds none",
            "maturity level 1 is below the 先进级 minimum of 2 (GB/T 39116-2020)",
            "the enterprise was removed from the library and may not apply again until 2027-05-01",
            $"the factory already has an open or approved 先进级 application ({standing.OtherOpenApplication})",
            "先进级 requires the construction areas 生产作业、生产管理、运营管理; the scenarios do not cover 生产管理、运营管理",
        ], error.Rules);
    }

    [Theory]
    [InlineData(Level.Basic, null, true)]
    [InlineData(Level.Advanced, Level.Basic, true)]
    [InlineData(Level.Advanced, null, false)]
    [InlineData(Level.Excellent, Level.Basic, false)]
    [InlineData(Level.Excellent, Level.Advanced, true)]
    [InlineData(Level.Leading, Level.Excellent, true)]
    [InlineData(Level.Leading, Level.Advanced, false)]
    [InlineData(Level.Basic, Level.Advanced, false)]     // already above
    [InlineData(Level.Advanced, Level.Advanced, true)]   // recognized again after 3 years
    [InlineData(Level.Excellent, Level.Excellent, false)] // renews by re-examination instead
    public void Levels_are_climbed_in_order(Level level, Level? current, bool allowed)
    {
        var standing = new ApplicantStanding(current, null, true, null, "420100", "36");
        var submit = () => Submitted(level, standing);
        if (allowed) Assert.Equal(ApplicationStatus.Submitted, submit().Status);
        else Assert.Throws<RuleViolationException>(submit);
    }

    [Theory]
    [InlineData(Level.Basic, 1, false)]
    [InlineData(Level.Basic, 2, true)]
    [InlineData(Level.Excellent, 2, false)]
    [InlineData(Level.Excellent, 3, true)]
    [InlineData(Level.Leading, 3, false)]
    [InlineData(Level.Leading, 4, true)]
    public void Maturity_must_reach_the_levels_minimum(Level level, int maturity, bool allowed)
    {
        var submit = () => Submitted(level, new ApplicantStanding(level.Prerequisite(), null, true, null, "420100", "36"), Form(maturity));
        if (allowed) submit();
        else Assert.Contains($"maturity level {maturity} is below", Assert.Throws<RuleViolationException>(submit).Message);
    }

    [Fact]
    public void Coverage_blocks_basic_advanced_and_leading_but_only_warns_for_excellent()
    {
        var standing = (Level level) => new ApplicantStanding(level.Prerequisite(), null, true, null, "420100", "36");
        Submitted(Level.Basic, standing(Level.Basic), Form(2, Only(ConstructionArea.ProductionOperations)));
        Assert.Throws<RuleViolationException>(() => Submitted(Level.Basic, null, Form(2, Only(ConstructionArea.RndDesign))));
        Assert.Throws<RuleViolationException>(() => Submitted(Level.Leading, standing(Level.Leading), Form(4, Only(ConstructionArea.ProductionOperations))));

        var excellent = Submitted(Level.Excellent, standing(Level.Excellent), Form(3, Only(ConstructionArea.ProductionOperations)));
        Assert.Equal(ApplicationStatus.Submitted, excellent.Status);
        Assert.Contains("the scenarios do not cover 工厂建设、研发设计、生产管理、运营管理", Assert.Single(excellent.Warnings));
    }

    [Fact]
    public void Drafts_may_be_saved_before_the_window_opens_but_not_submitted()
    {
        var campaign = Campaign(Level.Basic) with { SubmissionOpensOn = new DateOnly(2026, 4, 1), SubmissionClosesOn = new DateOnly(2026, 4, 30) };
        var draft = Application.Start(Company, Guid.NewGuid(), Guid.NewGuid(), campaign, Form(), Clean, Today, Guid.NewGuid(), Now);
        var error = Assert.Throws<RuleViolationException>(() => draft.Submit(Company, 1, campaign, Clean, Catalogs, Today, Now));
        Assert.Equal("the 2026 基础级 campaign accepts submissions from 2026-04-01", Assert.Single(error.Rules));
    }

    [Fact]
    public void An_incomplete_form_names_every_missing_field_at_submission()
    {
        var campaign = Campaign(Level.Basic);
        var draft = Application.Start(Company, Guid.NewGuid(), Guid.NewGuid(), campaign,
            new ApplicationForm(null, null, "", "2024", [], new Dictionary<string, double>(), false, [], null, null), Clean, Today, Guid.NewGuid(), Now);
        var error = Assert.Throws<ValidationException>(() => draft.Submit(Company, 1, campaign, Clean, Catalogs, Today, Now));
        Assert.Equal(["maturity.level", "maturity.assessed_on", "maturity.certificate_ref", "catalog_edition", "scenario_ids", "truthfulness_declared"],
            error.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_basic_application_is_decided_by_the_city_and_returned_ones_come_back()
    {
        var campaign = Campaign(Level.Basic);
        var application = Submitted(Level.Basic, campaign: campaign);
        Assert.Throws<ForbiddenException>(() => application.Review(Scopes.Hubei, 2, ReviewAction.Approve, null, campaign, Today, Now));
        Assert.Throws<ValidationException>(() => application.Review(Scopes.Wuhan, 2, ReviewAction.Return, " ", campaign, Today, Now));
        Assert.Throws<RuleViolationException>(() => application.Review(Scopes.Wuhan, 2, ReviewAction.Recommend, null, campaign, Today, Now));

        var returned = application.Review(Scopes.Wuhan, 2, ReviewAction.Return, "补充关键设备清单", campaign, Today, Now);
        Assert.Equal(ApplicationStatus.Returned, returned.Status);
        var edited = returned.Edit(Company, 3, Form(3), Now);
        var again = edited.Submit(Company, 4, campaign, Clean, Catalogs, Today, Now);
        var unverified = Assert.Throws<RuleViolationException>(() => again.Review(Scopes.Wuhan, 5, ReviewAction.Approve, null, campaign, Today, Now));
        Assert.Equal(BasicRequirements.All.Count, unverified.Rules.Count);
        var approved = Verified(again, Scopes.Wuhan).Review(Scopes.Wuhan, 6, ReviewAction.Approve, null, campaign, Today, Now);
        Assert.Equal(["submitted", "returned", "submitted", "approved"], approved.History.Select(h => h.Action));
        Assert.Throws<RuleViolationException>(() => approved.Edit(Company, 7, Form(), Now));
    }

    [Fact]
    public void Advanced_goes_through_the_citys_ranked_list_to_the_province_003_第十一条()
    {
        var campaign = Campaign(Level.Advanced, new Dictionary<string, int> { ["420100"] = 1 });
        var application = Submitted(Level.Advanced, new ApplicantStanding(Level.Basic, null, true, null, "420100", "36"), campaign: campaign);
        Assert.Throws<RuleViolationException>(() => application.Review(Scopes.Wuhan, 2, ReviewAction.Approve, null, campaign, Today, Now));
        var byReview = Assert.Throws<RuleViolationException>(() => application.Review(Scopes.Wuhan, 2, ReviewAction.Recommend, null, campaign, Today, Now));
        Assert.Contains("recommendation list (推荐汇总表)", byReview.Message);

        var list = RecommendationList.Create(Scopes.Wuhan, campaign, Guid.NewGuid(), Now)
            .SetEntries(Scopes.Wuhan, 1, [(application.Id.ToString(), "标杆")], new Dictionary<Guid, Application> { [application.Id] = application }, Now);
        var submitted = list.Submit(Scopes.Wuhan, 2, new Dictionary<Guid, Application> { [application.Id] = application }, Now);
        var recommended = application.RecommendIn(submitted, 1, Scopes.Wuhan, Now);
        Assert.Equal(("420100", ApplicationStatus.Recommended), (recommended.RecommendedBy, recommended.Status));
        Assert.Throws<ForbiddenException>(() => recommended.Review(Scopes.Wuhan, 3, ReviewAction.Approve, null, campaign, Today, Now));
        Assert.Equal(ApplicationStatus.Approved, Verified(recommended, Scopes.Hubei).Review(Scopes.Hubei, 4, ReviewAction.Approve, null, campaign, Today, Now).Status);
    }

    [Fact]
    public void The_ministry_decides_what_the_province_recommends_003_第十三条()
    {
        var campaign = Campaign(Level.Excellent, new Dictionary<string, int> { ["420000"] = 5 });
        var application = Submitted(Level.Excellent, new ApplicantStanding(Level.Advanced, null, true, null, "420100", "36"), campaign: campaign);
        Assert.Throws<ForbiddenException>(() => application.Review(Scopes.Wuhan, 2, ReviewAction.Recommend, null, campaign, Today, Now));
        Assert.Throws<ForbiddenException>(() => RecommendationList.Create(Scopes.Wuhan, campaign, Guid.NewGuid(), Now));
        var found = new Dictionary<Guid, Application> { [application.Id] = application };
        var list = RecommendationList.Create(Scopes.Hubei, campaign, Guid.NewGuid(), Now).SetEntries(Scopes.Hubei, 1, [(application.Id.ToString(), null)], found, Now);
        var recommended = application.RecommendIn(list.Submit(Scopes.Hubei, 2, found, Now), 1, Scopes.Hubei, Now);
        Assert.Throws<ForbiddenException>(() => recommended.Review(Scopes.Hubei, 3, ReviewAction.Approve, null, campaign, Today, Now));
        var rejected = recommended.Review(Scopes.Ministry, 3, ReviewAction.Reject, "场景成效不足", campaign, Today, Now);
        Assert.Equal(ApplicationStatus.Rejected, rejected.Status);
    }

    [Fact]
    public void A_recognition_is_valid_three_years_and_then_expires()
    {
        var basic = Active(Level.Basic, new DateOnly(2026, 3, 20));
        Assert.Equal(new DateOnly(2029, 3, 20), basic.ExpiresOn);
        Assert.Null(basic.ApplyClock(new DateOnly(2029, 3, 19), Now));
        var expired = basic.ApplyClock(new DateOnly(2029, 3, 20), Now)!;
        Assert.Equal((RecognitionStatus.Expired, new DateOnly(2029, 3, 20)), (expired.Status, expired.EndedOn));
        Assert.Equal(["approved", "took_effect", "expired"], expired.History.Select(h => h.Kind));
    }

    [Fact]
    public void Leap_day_validity_ends_on_the_last_day_of_february()
    {
        Assert.Equal(new DateOnly(2027, 2, 28), Active(Level.Basic, new DateOnly(2024, 2, 29)).ExpiresOn);
    }

    [Fact]
    public void Renewal_is_accepted_until_three_months_before_expiry_with_month_end_clamping()
    {
        var excellent = Active(Level.Excellent, new DateOnly(2026, 5, 31)); // expires 2029-05-31; due 2029-02-28
        Assert.Equal(new Clock("renewal_application_due", new DateOnly(2029, 2, 28)), excellent.NextClock());
        var late = Assert.Throws<RuleViolationException>(() => excellent.ApplyForRenewal(Company, 2, new DateOnly(2029, 3, 1), Now));
        Assert.Equal("re-examination had to be applied for by 2029-02-28, 3 months before expiry on 2029-05-31", late.Message);

        var applied = excellent.ApplyForRenewal(Company, 2, new DateOnly(2029, 2, 28), Now);
        Assert.Null(applied.ApplyClock(new DateOnly(2029, 5, 31), Now)); // awaiting the decision at expiry: stays active
        var renewed = applied.DecideRenewal(Scopes.Ministry, 3, passed: true, null, new DateOnly(2029, 6, 2), Now);
        Assert.Equal((RecognitionStatus.Active, new DateOnly(2032, 5, 31), RenewalStep.None), (renewed.Status, renewed.ExpiresOn, renewed.Renewal));
    }

    [Fact]
    public void Reexamination_may_be_applied_for_at_any_time_before_its_deadline_004_五_九()
    {
        var excellent = Active(Level.Excellent, new DateOnly(2026, 5, 31));
        // The seeds set no earliest date: the day after taking effect is as good as the last day allowed.
        var applied = excellent.ApplyForRenewal(Company, 2, new DateOnly(2026, 6, 1), Now);
        Assert.Equal(RenewalStep.Applied, applied.Renewal);
        Assert.Throws<RuleViolationException>(() => applied.ApplyForRenewal(Company, 3, new DateOnly(2026, 6, 2), Now));
        var renewed = applied.DecideRenewal(Scopes.Ministry, 3, passed: true, null, new DateOnly(2026, 9, 1), Now);
        Assert.Equal((new DateOnly(2032, 5, 31), RenewalStep.None), (renewed.ExpiresOn, renewed.Renewal));
        Assert.Throws<ForbiddenException>(() => applied.DecideRenewal(Scopes.Hubei, 3, passed: true, null, new DateOnly(2026, 9, 1), Now));
    }

    [Fact]
    public void Nothing_of_a_removed_enterprise_takes_effect_during_its_ban_003_article_20()
    {
        var application = Submitted(Level.Basic) with { Status = ApplicationStatus.Approved };
        var pending = Recognition.FromApproval(application, 2026, Scopes.Wuhan, new DateOnly(2026, 3, 1), Guid.NewGuid(), Now);
        var banned = Assert.Throws<RuleViolationException>(() =>
            pending.TakeEffect(PublicityResult, new DateOnly(2026, 3, 8), new DateOnly(2026, 3, 10), Now, bannedUntil: new DateOnly(2027, 5, 1)));
        Assert.Equal("the enterprise was removed from the library; nothing of it takes effect until 2027-05-01", Assert.Single(banned.Rules));
        // A ban that ended yesterday holds nothing back.
        Assert.Equal(RecognitionStatus.Active,
            pending.TakeEffect(PublicityResult, new DateOnly(2026, 3, 8), new DateOnly(2026, 3, 10), Now, bannedUntil: new DateOnly(2026, 3, 9)).Status);
    }

    [Fact]
    public void A_factory_keeps_a_higher_level_it_holds_003_article_6()
    {
        var advanced = Active(Level.Advanced, new DateOnly(2025, 6, 1));
        var application = Submitted(Level.Basic) with { Status = ApplicationStatus.Approved };
        var pending = Recognition.FromApproval(application, 2026, Scopes.Wuhan, new DateOnly(2026, 3, 1), Guid.NewGuid(), Now);
        var refused = Assert.Throws<RuleViolationException>(() =>
            pending.TakeEffect(PublicityResult, new DateOnly(2026, 3, 8), new DateOnly(2026, 3, 10), Now, held: advanced));
        Assert.Equal("the factory holds 先进级, above 基础级", Assert.Single(refused.Rules));
        var basic = Active(Level.Basic, new DateOnly(2024, 6, 1));
        Assert.Equal(RecognitionStatus.Active,
            pending.TakeEffect(PublicityResult, new DateOnly(2026, 3, 8), new DateOnly(2026, 3, 10), Now, held: basic).Status);
    }

    [Fact]
    public void A_recognition_takes_effect_between_its_approval_and_today()
    {
        var application = Submitted(Level.Basic) with { Status = ApplicationStatus.Approved };
        var pending = Recognition.FromApproval(application, 2026, Scopes.Wuhan, new DateOnly(2026, 3, 1), Guid.NewGuid(), Now);
        var error = Assert.Throws<ValidationException>(() => pending.TakeEffect(PublicityResult, new DateOnly(2001, 1, 1), new DateOnly(2026, 3, 10), Now));
        Assert.Equal("must be between the approval on 2026-03-01 and today (2026-03-10)", Assert.Single(error.Violations).Description);
        Assert.Throws<ValidationException>(() => pending.TakeEffect(PublicityResult, new DateOnly(2026, 3, 11), new DateOnly(2026, 3, 10), Now));
        Assert.Equal(new DateOnly(2029, 3, 8), pending.TakeEffect(PublicityResult, new DateOnly(2026, 3, 8), new DateOnly(2026, 3, 10), Now).ExpiresOn);
    }

    [Fact]
    public void No_authority_skips_the_publicity()
    {
        var application = Submitted(Level.Basic) with { Status = ApplicationStatus.Approved };
        var pending = Recognition.FromApproval(application, 2026, Scopes.Wuhan, new DateOnly(2026, 3, 1), Guid.NewGuid(), Now);
        foreach (var authority in new[] { Scopes.Wuhan, Scopes.Hubei, Scopes.Ministry })
        {
            var error = Assert.Throws<ForbiddenException>(() => pending.TakeEffect(authority, new DateOnly(2026, 3, 8), new DateOnly(2026, 3, 10), Now));
            Assert.Equal("only the result of a publicity notice makes a recognition take effect; publish a notice and close it", error.Message);
            Assert.Throws<ForbiddenException>(() => pending.WithdrawAfterPublicity(authority, "异议成立", new DateOnly(2026, 3, 10), Now));
        }
    }

    [Fact]
    public void Without_a_passed_reexamination_excellent_is_cancelled_at_expiry()
    {
        var excellent = Active(Level.Excellent, new DateOnly(2026, 4, 1));
        var none = excellent.ApplyClock(new DateOnly(2029, 4, 1), Now)!;
        Assert.Equal((RecognitionStatus.Cancelled, "no re-examination applied for (有效期满未申请复核)"), (none.Status, none.EndReason));

        var failed = excellent.ApplyForRenewal(Company, 2, new DateOnly(2028, 12, 1), Now)
            .DecideRenewal(Scopes.Ministry, 3, passed: false, "未达到卓越级要求", new DateOnly(2029, 1, 15), Now);
        // 004 九: 复核未通过的，直接取消认定 — when the failure is recorded, not at expiry.
        Assert.Equal((RecognitionStatus.Cancelled, new DateOnly(2029, 1, 15), "re-examination failed (复核未通过): 未达到卓越级要求"),
            (failed.Status, failed.EndedOn, failed.EndReason));
        Assert.Throws<RuleViolationException>(() => Active(Level.Basic, Today).ApplyForRenewal(Company, 2, Today, Now));
    }

    [Fact]
    public void A_leading_selection_cultivates_for_two_years_then_is_accepted_or_cancelled()
    {
        var selected = Selected(new DateOnly(2026, 8, 31));
        Assert.Equal((RecognitionStatus.Cultivating, new DateOnly(2028, 8, 31)), (selected.Status, selected.CultivationEndsOn));
        Assert.Equal(new Clock("acceptance_application_due", new DateOnly(2028, 5, 31)), selected.NextClock());
        Assert.Throws<RuleViolationException>(() => selected.ApplyForAcceptance(Company, 1, new DateOnly(2028, 6, 1), Now));

        var applied = selected.ApplyForAcceptance(Company, 1, new DateOnly(2028, 5, 31), Now);
        Assert.Throws<ForbiddenException>(() => applied.DecideAcceptance(Scopes.Ministry with { Role = Role.Province }, 2, true, null, Today, Now));
        Assert.Throws<RuleViolationException>(() => applied.DecideAcceptance(Scopes.Ministry, 2, true, null, Today, Now));
        var checkedByProvince = applied.RecordPreliminaryCheck(Scopes.Hubei, 2, passed: true, "初验达标", new DateOnly(2028, 6, 10), Now);
        Assert.Null(checkedByProvince.ApplyClock(new DateOnly(2028, 8, 31), Now)); // under the ministry's review at the end
        // 004 八: MIIT publicizes and publishes the list; here the result takes effect when recorded, with no notice of ours.
        var accepted = checkedByProvince.DecideAcceptance(Scopes.Ministry, 3, passed: true, null, new DateOnly(2028, 9, 10), Now);
        Assert.Equal((RecognitionStatus.Active, new DateOnly(2028, 9, 10), new DateOnly(2031, 9, 10)), (accepted.Status, accepted.EffectiveOn, accepted.ExpiresOn));

        var lapsed = selected.ApplyClock(new DateOnly(2028, 8, 31), Now)!;
        Assert.Equal((RecognitionStatus.Cancelled, "cultivation period ended without acceptance"), (lapsed.Status, lapsed.EndReason));
    }

    [Fact]
    public void A_higher_recognition_supersedes_the_lower_one()
    {
        var basic = Active(Level.Basic, new DateOnly(2025, 3, 1));
        var advanced = Active(Level.Advanced, new DateOnly(2026, 7, 1));
        var superseded = basic.SupersededBy(advanced, Scopes.Hubei, new DateOnly(2026, 7, 1), Now);
        Assert.Equal((RecognitionStatus.Superseded, new DateOnly(2026, 7, 1)), (superseded.Status, superseded.EndedOn));
        Assert.Contains("superseded by the 先进级 recognition", superseded.EndReason);
    }

    [Fact]
    public void Removal_bans_applications_for_three_years_and_ends_the_recognition_once()
    {
        var basic = Active(Level.Basic, new DateOnly(2025, 3, 1));
        Assert.Throws<ForbiddenException>(() => basic.Remove(Scopes.Ministry, 2, RemovalCause.DataFraud, "数据造假", null, Today, Now));
        var error = Assert.Throws<ValidationException>(() => basic.Remove(Scopes.Wuhan, 2, null, "", Today.AddDays(1), Today, Now));
        Assert.Equal(["cause", "description", "occurred_on"], error.Violations.Select(v => v.Field));

        var removed = basic.Remove(Scopes.Wuhan, 2, RemovalCause.SafetyIncident, "发生较大安全生产事故", new DateOnly(2026, 2, 20), Today, Now);
        Assert.Equal((RecognitionStatus.Removed, new DateOnly(2029, 3, 1)), (removed.Status, removed.BanUntil));
        Assert.StartsWith("removed for safety_incident on 2026-02-20", removed.EndReason);
        Assert.Throws<RuleViolationException>(() => removed.Revoke(Scopes.Wuhan, 3, "举报查实", true, Today, Now));

        var banned = new ApplicantStanding(null, removed.BanUntil, true, null, "420100", "36");
        Assert.Contains("may not apply again until 2029-03-01", Assert.Throws<RuleViolationException>(() => Submitted(Level.Basic, banned)).Message);
        // The day the ban ends, the enterprise may apply again.
        var banEnds = removed.BanUntil!.Value;
        var later = Campaign(Level.Basic) with { Year = 2029, SubmissionOpensOn = banEnds, SubmissionClosesOn = banEnds.AddDays(30) };
        var draft = Application.Start(Company, Guid.NewGuid(), Guid.NewGuid(), later, Form(), banned, banEnds, Guid.NewGuid(), Now);
        Assert.Equal(ApplicationStatus.Submitted, draft.Submit(Company, 1, later, banned, Catalogs, banEnds, Now).Status);
    }

    [Fact]
    public void Revocation_bans_exactly_when_data_fraud_is_confirmed_003_第二十条()
    {
        Assert.Null(Active(Level.Basic, Today).Revoke(Scopes.Wuhan, 2, "举报查实：场景材料不实", dataFraud: false, Today, Now).BanUntil);
        Assert.Equal(new DateOnly(2029, 3, 1), Active(Level.Basic, Today).Revoke(Scopes.Wuhan, 2, "弄虚作假", dataFraud: true, Today, Now).BanUntil);
    }

    // ----- the notices service's own account (realm role service) delivering the result of a closed notice

    private static readonly CallerScope PublicityResult = new("service-account-smartfactory-notices", "smartfactory-notices", Role.Service, "", null);

    private static (Application Approved, Recognition Pending) PendingPublicity(Level level)
    {
        var approved = Submitted(level, new ApplicantStanding(level.Prerequisite(), null, true, null, "420100", "36")) with { Status = ApplicationStatus.Approved, Version = 3 };
        var recognizer = level switch { Level.Basic => Scopes.Wuhan, Level.Advanced => Scopes.Hubei, _ => Scopes.Ministry };
        var pending = Recognition.FromApproval(approved, 2026, recognizer, Today, Guid.NewGuid(), Now);
        return (approved.Recognized(pending.Id), pending);
    }

    [Fact]
    public void The_service_account_is_no_authority()
    {
        foreach (var level in Enum.GetValues<Level>()) Assert.False(PublicityResult.MayManage(level));
        var active = Active(Level.Basic, Today);
        Assert.Throws<ForbiddenException>(() => active.Revoke(PublicityResult, active.Version, "举报查实", dataFraud: true, Today, Now));
        Assert.Throws<ForbiddenException>(() => active.Remove(PublicityResult, active.Version, RemovalCause.DataFraud, "造假", null, Today, Now));
        Assert.Throws<ForbiddenException>(() => active.ApplyForRenewal(PublicityResult, active.Version, Today, Now));
        Assert.Throws<ForbiddenException>(() => active.DecideRenewal(PublicityResult, active.Version, true, null, Today, Now));
        var submitted = Submitted(Level.Basic);
        Assert.Throws<ForbiddenException>(() => submitted.Review(PublicityResult, submitted.Version, ReviewAction.Approve, null, Campaign(Level.Basic), Today, Now));
        Assert.Throws<ForbiddenException>(() => SmartFactory.Registry.Domain.Campaign.Create(PublicityResult,
            new CampaignDraft(Level.Basic, 2026, "2026-01-05", "2026-02-28", null, []), Scopes.Reference, null, Guid.NewGuid(), Now));
        // It reads every region, so writing the registry would make it an authority everywhere.
        Assert.Throws<ForbiddenException>(() => Enterprise.Register(PublicityResult, CreditCodes.New(),
            new EnterpriseDetails("某企业", "420100", "36", EnterpriseSize.Large, EnterpriseNature.Private), Scopes.Reference, Guid.NewGuid(), Now));
    }

    [Fact]
    public void An_objection_upheld_during_publicity_cancels_the_recognition_and_rejects_the_application()
    {
        var (approved, pending) = PendingPublicity(Level.Advanced);
        var withdrawn = pending.WithdrawAfterPublicity(PublicityResult, "  公示期内异议经核实成立  ", Today, Now);
        Assert.Equal((RecognitionStatus.Cancelled, Today, "objection upheld during publicity (公示异议成立): 公示期内异议经核实成立"),
            (withdrawn.Status, withdrawn.EndedOn, withdrawn.EndReason));
        Assert.Equal((null, null, null), (withdrawn.EffectiveOn, withdrawn.ExpiresOn, withdrawn.BanUntil));
        Assert.Equal(("cancelled", "service", pending.Version + 1), (withdrawn.History[^1].Kind, withdrawn.History[^1].ActorRole, withdrawn.Version));
        Assert.Null(withdrawn.NextClock());

        var rejected = approved.RejectAfterPublicity(PublicityResult, withdrawn.EndReason!, Now);
        Assert.Equal((ApplicationStatus.Rejected, approved.Version + 1, pending.Id), (rejected.Status, rejected.Version, rejected.RecognitionId));
        Assert.Equal(new ReviewEntry("rejected_after_publicity", "service", "smartfactory-notices", withdrawn.EndReason!, Now), rejected.History[^1]);
        Assert.False(rejected.IsOpen);

        // Only the publicity's result withdraws: no authority, nor the enterprise.
        Assert.Throws<ForbiddenException>(() => pending.WithdrawAfterPublicity(Scopes.Hubei, "异议成立", Today, Now));
        Assert.Throws<ForbiddenException>(() => pending.WithdrawAfterPublicity(Company, "异议成立", Today, Now));
    }

    [Fact]
    public void Withdrawal_after_publicity_needs_a_reason_and_a_recognition_still_pending()
    {
        var (approved, pending) = PendingPublicity(Level.Basic);
        var missing = Assert.Throws<ValidationException>(() => pending.WithdrawAfterPublicity(PublicityResult, " ", Today, Now));
        Assert.Equal(["reason"], missing.Violations.Select(v => v.Field));
        Assert.Throws<ValidationException>(() => pending.WithdrawAfterPublicity(PublicityResult, new string('异', Recognition.MaxReasonLength + 1), Today, Now));

        var active = pending.TakeEffect(PublicityResult, Today, Today, Now);
        var late = Assert.Throws<RuleViolationException>(() => active.WithdrawAfterPublicity(PublicityResult, "异议成立", Today, Now));
        Assert.Equal(["only a recognition pending publicity is withdrawn after publicity; this one is active"], late.Rules);
        Assert.Throws<RuleViolationException>(() => Selected(Today).WithdrawAfterPublicity(PublicityResult, "异议成立", Today, Now));

        var twice = approved.RejectAfterPublicity(PublicityResult, "异议成立", Now);
        Assert.Throws<RuleViolationException>(() => twice.RejectAfterPublicity(PublicityResult, "异议成立", Now));
        Assert.Throws<RuleViolationException>(() => Submitted(Level.Basic).RejectAfterPublicity(PublicityResult, "异议成立", Now));
    }

    [Fact]
    public void An_ended_recognition_is_not_brought_back_by_a_later_step()
    {
        var checkedOk = Selected(Today).ApplyForAcceptance(Company, 1, Today, Now).RecordPreliminaryCheck(Scopes.Hubei, 2, true, null, Today, Now);
        var removed = checkedOk.Remove(Scopes.Ministry, 3, RemovalCause.SafetyIncident, "重大安全事故", null, Today, Now);
        Assert.Throws<RuleViolationException>(() => removed.DecideAcceptance(Scopes.Ministry, 4, true, null, Today, Now));

        var excellent = Active(Level.Excellent, new DateOnly(2026, 4, 1)).ApplyForRenewal(Company, 2, new DateOnly(2028, 12, 1), Now);
        var revoked = excellent.Revoke(Scopes.Ministry, 3, "举报查实", false, new DateOnly(2028, 12, 2), Now);
        Assert.Throws<RuleViolationException>(() => revoked.DecideRenewal(Scopes.Ministry, 4, true, null, new DateOnly(2028, 12, 3), Now));
    }

    [Fact]
    public void A_failed_reexamination_is_final_and_an_acceptance_in_review_outlives_the_cultivation_period()
    {
        var failed = Active(Level.Excellent, new DateOnly(2026, 4, 1)).ApplyForRenewal(Company, 2, new DateOnly(2028, 12, 1), Now)
            .DecideRenewal(Scopes.Ministry, 3, passed: false, "未达到要求", new DateOnly(2029, 1, 5), Now);
        Assert.Contains("cancelled", Assert.Throws<RuleViolationException>(() =>
            failed.ApplyForRenewal(Company, 4, new DateOnly(2029, 1, 6), Now)).Message);

        var applied = Selected(Today).ApplyForAcceptance(Company, 1, Today, Now);
        Assert.Null(applied.ApplyClock(applied.CultivationEndsOn!.Value, Now)); // the province has not checked it yet
        Assert.Equal("cultivation_end", applied.NextClock()!.Kind);
    }

    [Fact]
    public void Removal_ends_every_live_recognition_of_the_factory_under_one_ban()
    {
        var excellent = Active(Level.Excellent, new DateOnly(2025, 3, 1));
        var removed = excellent.Remove(Scopes.Ministry, 2, RemovalCause.EnvironmentalIncident, "较大环境污染事故", null, Today, Now);
        var alongside = Selected(Today).RemovedWith(removed, Scopes.Ministry, Today, Now);
        Assert.Equal((RecognitionStatus.Removed, removed.BanUntil), (alongside.Status, alongside.BanUntil));
        Assert.Contains($"removed with the factory's 卓越级 recognition {removed.Id}", alongside.EndReason);
    }

    [Fact]
    public void A_returned_application_comes_back_after_the_window_until_the_decision_is_due()
    {
        var campaign = Campaign(Level.Basic) with { SubmissionClosesOn = new DateOnly(2026, 3, 15), DecisionDueOn = new DateOnly(2026, 3, 31) };
        var returned = Submitted(Level.Basic, campaign: campaign).Review(Scopes.Wuhan, 2, ReviewAction.Return, "补充材料", campaign, Today, Now);
        Assert.Equal(ApplicationStatus.Submitted, returned.Submit(Company, 3, campaign, Clean, Catalogs, new DateOnly(2026, 3, 20), Now).Status);
        var late = Assert.Throws<RuleViolationException>(() => returned.Submit(Company, 3, campaign, Clean, Catalogs, new DateOnly(2026, 4, 1), Now));
        Assert.Equal("the 2026 基础级 round was to be complete by 2026-03-31; only the province can extend it, giving a reason", Assert.Single(late.Rules));
    }
}
