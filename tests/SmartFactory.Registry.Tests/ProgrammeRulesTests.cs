using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.Registry.Tests;

/// <summary>
/// The programme's rules of seeds 003 and 004 that the 2026 review added: who runs and manages what, the yearly deadlines,
/// the basic requirements, MIIT's decisions and plaques. Pure unit tests, each naming its article.
/// </summary>
public class ProgrammeRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 2, 0, 0, DateTimeKind.Utc);
    private static readonly ReferenceCatalogs Catalogs = ReferenceFiles.Read();
    private static readonly RoundWindow Window2027 = RoundWindow.Set(Scopes.Hubei, 2027, "2026-11-01", null, Now);

    private static Campaign Round(CallerScope city, string opens = "2026-11-15", string closes = "2027-02-28", string? due = null) =>
        Campaign.Create(city, new CampaignDraft(Level.Basic, 2027, opens, closes, due, []), Scopes.Reference, Window2027, Guid.NewGuid(), Now);

    [Fact]
    public void The_province_sets_the_window_and_basic_rounds_end_by_31_March_003_第十条()
    {
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2027, 3, 31)), (Window2027.OpensOn, Window2027.CompleteBy));
        Assert.Throws<ForbiddenException>(() => RoundWindow.Set(Scopes.Wuhan, 2027, "2026-11-01", null, Now));
        var error = Assert.Throws<ValidationException>(() => RoundWindow.Set(Scopes.Hubei, 2027, "2027-04-01", "2027-04-30", Now));
        Assert.Equal(["complete_by"], error.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_city_runs_its_own_basic_round_inside_the_window_003_第九条()
    {
        var wuhan = Round(Scopes.Wuhan);
        Assert.Equal(("420100", new DateOnly(2027, 3, 31), "2025"), (wuhan.RegionCode, wuhan.CompleteBy, wuhan.CatalogEdition));
        Assert.Throws<ForbiddenException>(() => Round(Scopes.Hubei));
        var outside = Assert.Throws<ValidationException>(() => Round(Scopes.Wuhan, opens: "2026-10-01", due: "2027-04-10"));
        Assert.Equal(["decision_due_on", "submission_opens_on"], outside.Violations.Select(v => v.Field).Order());
        var noWindow = Assert.Throws<RuleViolationException>(() => Campaign.Create(Scopes.Wuhan,
            new CampaignDraft(Level.Basic, 2028, "2027-11-01", "2028-02-01", null, []), Scopes.Reference, null, Guid.NewGuid(), Now));
        Assert.Equal("the province has not set the 2028 window for basic rounds yet", noWindow.Message);

        // Wuhan's round is for Wuhan's factories only.
        Assert.True(wuhan.Covers("420100"));
        Assert.False(wuhan.Covers("429004"));
        // Another city neither configures nor closes it.
        Assert.Throws<ForbiddenException>(() => wuhan.Configure(Scopes.Xiantao, 1, new CampaignDraft(Level.Basic, 2027, "2026-11-15", "2027-01-31", null, []),
            Scopes.Reference, Window2027));
        var configured = wuhan.Configure(Scopes.Wuhan, 1, new CampaignDraft(Level.Basic, 2027, "2026-11-15", "2027-01-31", "2027-03-15", []), Scopes.Reference, Window2027);
        Assert.Equal((new DateOnly(2027, 1, 31), new DateOnly(2027, 3, 15), 2L), (configured.SubmissionClosesOn, configured.CompleteBy, configured.Version));
    }

    [Fact]
    public void Advanced_rounds_are_the_provinces_and_end_by_30_June_003_第十一_十二条()
    {
        var advanced = Campaign.Create(Scopes.Hubei, new CampaignDraft(Level.Advanced, 2027, "2027-03-01", "2027-05-01", null, [("420100", 3)]),
            Scopes.Reference, null, Guid.NewGuid(), Now);
        Assert.Equal(("420000", new DateOnly(2027, 6, 30)), (advanced.RegionCode, advanced.CompleteBy));
        Assert.Throws<ForbiddenException>(() => Campaign.Create(Scopes.Wuhan, new CampaignDraft(Level.Advanced, 2027, "2027-03-01", "2027-05-01", null, []),
            Scopes.Reference, null, Guid.NewGuid(), Now));
        var late = Assert.Throws<ValidationException>(() => Campaign.Create(Scopes.Hubei,
            new CampaignDraft(Level.Advanced, 2027, "2027-03-01", "2027-05-01", "2027-07-15", []), Scopes.Reference, null, Guid.NewGuid(), Now));
        Assert.Contains("advanced rounds are complete by 30 June (003 第十二条)", Assert.Single(late.Violations).Description);
        Assert.Throws<ForbiddenException>(() => Campaign.Create(Scopes.Hubei,
            new CampaignDraft(Level.Excellent, 2027, "2027-03-01", "2027-05-01", "2027-09-30", []), Scopes.Reference, null, Guid.NewGuid(), Now));
    }

    [Fact]
    public void After_the_deadline_only_the_provinces_extension_with_a_reason_lets_a_round_go_on_003_第十条()
    {
        var round = Round(Scopes.Wuhan);
        var april = new DateOnly(2027, 4, 1);
        Assert.Equal("the 2027 基础级 round was to be complete by 2027-03-31; only the province can extend it, giving a reason", round.LateOn(april));
        Assert.Null(round.LateOn(new DateOnly(2027, 3, 31)));
        Assert.Throws<ForbiddenException>(() => round.Extend(Scopes.Wuhan, 1, "2027-04-30", "材料补正", april));
        var missing = Assert.Throws<ValidationException>(() => round.Extend(Scopes.Hubei, 1, "2027-03-01", " ", april));
        Assert.Equal(["reason", "complete_by", "complete_by"], missing.Violations.Select(v => v.Field));
        var extended = round.Extend(Scopes.Hubei, 1, "2027-04-30", "疫情影响现场核查", april);
        Assert.Equal((new DateOnly(2027, 3, 31), new DateOnly(2027, 4, 30), "疫情影响现场核查"), (extended.DecisionDueOn, extended.CompleteBy, extended.ExtensionReason));
        Assert.Null(extended.LateOn(april));
        Assert.Equal(29, extended.DaysLeft(april));
    }

    [Fact]
    public void A_round_closes_once_everything_in_it_is_decided_and_publicized_003_第十条()
    {
        var round = Round(Scopes.Wuhan);
        var early = Assert.Throws<RuleViolationException>(() => round.Close(Scopes.Wuhan, 1, ["2 application(s) still await a decision"], new DateOnly(2027, 2, 1)));
        Assert.Equal(["submissions are open until 2027-02-28; move that date first", "2 application(s) still await a decision"], early.Rules);
        var late = Assert.Throws<RuleViolationException>(() => round.Close(Scopes.Wuhan, 1, [], new DateOnly(2027, 4, 2)));
        Assert.Contains("was to be complete by 2027-03-31", Assert.Single(late.Rules));
        var closed = round.Close(Scopes.Wuhan, 1, [], new DateOnly(2027, 3, 20));
        Assert.Equal((CampaignStatus.Closed, new DateOnly(2027, 3, 20)), (closed.Status, closed.ClosedOn));
        Assert.Equal("the 2027 基础级 round was closed on 2027-03-20", Assert.Throws<RuleViolationException>(() =>
            closed.Extend(Scopes.Hubei, 2, "2027-04-30", "补正", new DateOnly(2027, 3, 21))).Message);
    }

    [Theory]
    [InlineData("2026-01-07", "2024")]
    [InlineData("2026-01-08", "2025")]
    public void A_round_cites_the_catalog_in_force_when_it_opens_004(string opensOn, string edition) =>
        Assert.Equal(edition, Campaign.EditionFor(DateOnly.Parse(opensOn)));

    [Fact]
    public void Who_recognizes_manages_004_四()
    {
        Assert.True(Scopes.Wuhan.MayManage(Level.Basic));
        Assert.False(Scopes.Wuhan.MayManage(Level.Advanced));
        Assert.True(Scopes.Hubei.MayManage(Level.Basic)); // the supervisor that spot-checks basic factories (003 第五条, 第十条)
        Assert.True(Scopes.Hubei.MayManage(Level.Advanced));
        Assert.False(Scopes.Hubei.MayManage(Level.Excellent));
        Assert.False(Scopes.Hubei.MayManage(Level.Leading));
        Assert.True(Scopes.Ministry.MayManage(Level.Excellent));
        Assert.False(Scopes.Ministry.MayManage(Level.Advanced));
    }

    private static ApplicationForm Form(IReadOnlyList<Declaration>? declarations = null, double? revenue = 8000, LegalForm? form = LegalForm.Independent,
        params (string, double)[] kpis)
    {
        var violations = new Violations();
        var read = ApplicationForm.Read(violations, 2, "2026-10-01", "SA-1", "2025", ["2025-20"], kpis, true, Catalogs, new DateOnly(2026, 12, 1),
            [.. (declarations ?? BasicRequirements.All.Select(r => new Declaration(r.Code, true, ""))).Select(d => (d.Code, d.Affirmed, (string?)d.Note))],
            revenue ?? 0, form);
        violations.ThrowIfAny();
        return read;
    }

    [Fact]
    public void Industrial_enterprises_are_mining_manufacturing_and_utilities_and_branches_only_in_petrochemicals_and_non_ferrous_003_第三条()
    {
        var violations = new Violations();
        var reference = new ReferenceData(Scopes.Reference.Regions, [new("07", "石油和天然气开采业", "B"), new("36", "汽车制造业", "C"), new("44", "电力", "D")]);
        foreach (var code in new[] { "07", "36", "44", "47" }) reference.CheckIndustry(violations, "industry_code", code);
        Assert.Equal("'47' is not an industrial division of GB/T 4754-2017 (B 06-12, C 13-43, D 44-46)", Assert.Single(violations.Items).Description);

        var branch = Form(form: LegalForm.Branch);
        Assert.Empty(BasicRequirements.Unmet(branch.Declarations, branch.LastYearRevenue, branch.LegalForm, "07"));
        Assert.Empty(BasicRequirements.Unmet(branch.Declarations, branch.LastYearRevenue, branch.LegalForm, "32"));
        Assert.Equal(["a branch (分支机构) applies only in petrochemicals and non-ferrous metals (003 第三条); industry 36 is neither"],
            BasicRequirements.Unmet(branch.Declarations, branch.LastYearRevenue, branch.LegalForm, "36"));
    }

    [Fact]
    public void Every_basic_requirement_is_declared_met_and_the_enterprise_is_above_designated_size_003_附1()
    {
        var complete = Form();
        Assert.Empty(BasicRequirements.Unmet(complete.Declarations, complete.LastYearRevenue, complete.LegalForm, "36"));

        var partial = Form([new Declaration("legal_person", true, ""), new Declaration("no_serious_accident", false, "2025年发生一般安全事故")], revenue: 1500, form: null);
        var unmet = BasicRequirements.Unmet(partial.Declarations, partial.LastYearRevenue, partial.LegalForm, "36");
        Assert.Equal(BasicRequirements.All.Count - 2 + 1 + 2, unmet.Count);
        Assert.Contains(unmet, u => u.StartsWith("the basic requirement no_serious_accident is not met", StringComparison.Ordinal));
        Assert.Contains("last year's revenue of 1500 万元 is below the designated size (规模以上工业企业: at least 2000 万元, 003 附1 一.1)", unmet);
        Assert.Contains("legal_form is required: an independent legal person or a branch", unmet);

        var violations = new Violations();
        BasicRequirements.Read(violations, [("legal_person", true, null), ("legal_person", true, null), ("paid_bribes", false, null)]);
        Assert.Equal(["declarations[1].code", "declarations[2].code"], violations.Items.Select(v => v.Field));
    }

    [Fact]
    public void The_reviewer_verifies_each_declaration_and_one_found_unmet_blocks_approval_003_第十条()
    {
        var company = Scopes.Enterprise("91420100MA4KL3XK1L");
        var campaign = Round(Scopes.Wuhan);
        var standing = new ApplicantStanding(null, null, true, null, "420100", "36");
        var today = new DateOnly(2026, 12, 1);
        var submitted = Application.Start(company, Guid.NewGuid(), Guid.NewGuid(), campaign, Form(), standing, today, Guid.NewGuid(), Now)
            .Submit(company, 1, campaign, standing, Catalogs, today, Now);

        var violations = new Violations();
        var findings = BasicRequirements.ReadVerifications(violations,
            [("legal_person", true, null, null), ("not_listed", false, " ", null), ("organisation_and_people", true, null, "not-a-uuid")], Scopes.Wuhan, Now);
        Assert.Equal(["verifications[1].note", "verifications[2].attachment_id"], violations.Items.Select(v => v.Field));
        Assert.Throws<ForbiddenException>(() => submitted.Verify(Scopes.Hubei, 2, findings, Now));

        var attachment = Guid.NewGuid();
        var all = BasicRequirements.All.Select(r => new Verification(r.Code, r.Code != "not_listed", r.Code == "not_listed" ? "信用中国查询：列入经营异常名录" : "",
            r.Code == "not_listed" ? attachment : null, "city", "武汉市经信局", Now)).ToList();
        var verified = submitted.Verify(Scopes.Wuhan, 2, all, Now);
        Assert.Equal(attachment, verified.Verifications.Single(v => v.Code == "not_listed").AttachmentId);
        var blocked = Assert.Throws<RuleViolationException>(() => verified.Review(Scopes.Wuhan, 3, ReviewAction.Approve, null, campaign, today, Now));
        Assert.Equal(["the reviewers found the basic requirement not_listed not met: 信用中国查询：列入经营异常名录; reject the application"], blocked.Rules);
        Assert.Equal(ApplicationStatus.Rejected, verified.Review(Scopes.Wuhan, 3, ReviewAction.Reject, "列入经营异常名录", campaign, today, Now).Status);
        // A later finding replaces the earlier one of the same requirement.
        var corrected = verified.Verify(Scopes.Wuhan, 3, [all.Single(v => v.Code == "not_listed") with { Confirmed = true, Note = "已移出异常名录" }], Now);
        Assert.Equal(ApplicationStatus.Approved, corrected.Review(Scopes.Wuhan, 4, ReviewAction.Approve, null, campaign, today, Now).Status);
    }

    [Fact]
    public void Kpis_may_be_negative_where_the_indicator_allows_003_附2()
    {
        var form = Form(null, 8000, LegalForm.Independent, ("K06", -12.5), ("K14", -3), ("K01", 85));
        Assert.Equal(-12.5, form.Kpis["K06"]);
        var violations = new Violations();
        ApplicationForm.Read(violations, 2, null, null, "2025", [], [("K01", -5), ("K20", -1), ("K09", 120)], false, Catalogs, new DateOnly(2026, 12, 1), [], 0, null);
        Assert.Equal(["K01 (关键设备数控化率) must be a number from 0 to 100 %", "K20 (先进制造模式/解决方案向产业链供应链上下游复制推广的企业数量) must be a number from 0 to 1000000",
            "K09 (产品不良率下降) must be a number from -1000 to 100 %"], violations.Items.Select(v => v.Description));
        Assert.Equal("单位产品二氧化碳（CO₂）排放量降低", Catalogs.Kpis.Single(k => k.Id == "K17").Label);
    }

    private static NationalDecision Decision(Level level, string? cultivationEndsOn = null, CallerScope? caller = null) =>
        NationalDecision.Record(caller ?? Scopes.Ministry, Campaign.Create(Scopes.Ministry,
                new CampaignDraft(level, 2026, "2026-03-01", "2026-04-01", "2026-10-31", [("420000", 5)]), Scopes.Reference, null, Guid.NewGuid(), Now),
            "工信厅联通装函〔2026〕88号", "2026-11-20", "2026年度卓越级智能工厂名单", [Guid.NewGuid().ToString()], cultivationEndsOn, DecisionSource.Entered,
            new DateOnly(2026, 12, 1), Guid.NewGuid(), Now);

    [Fact]
    public void Excellent_and_leading_take_effect_from_MIITs_decision_with_its_reference_004_四_六()
    {
        Assert.Throws<ForbiddenException>(() => Decision(Level.Excellent, caller: Scopes.Hubei));
        var application = new Application(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Level.Excellent, ApplicationStatus.Recommended,
            Form(), [], [], "420000", null, 4, Now, Now, []);
        var decision = Decision(Level.Excellent);
        var approved = application.SelectedByNationalDecision(Scopes.Ministry, decision, Now);
        Assert.Equal(("approved", "2026年度卓越级智能工厂名单 (工信厅联通装函〔2026〕88号, 2026-11-20)"), (approved.History[^1].Action, approved.History[^1].Comments));
        Assert.Throws<RuleViolationException>(() => (application with { Status = ApplicationStatus.Submitted }).SelectedByNationalDecision(Scopes.Ministry, decision, Now));
        var excellent = Recognition.FromNationalDecision(approved, decision, 2026, Scopes.Ministry, Guid.NewGuid(), Now);
        Assert.Equal((RecognitionStatus.Active, new DateOnly(2026, 11, 20), new DateOnly(2029, 11, 20), "工信厅联通装函〔2026〕88号"),
            (excellent.Status, excellent.EffectiveOn, excellent.ExpiresOn, excellent.NationalDecision));
        // No publicity of ours: the ministry approves nothing through a review.
        var review = Assert.Throws<RuleViolationException>(() => application.Review(Scopes.Ministry, 4, ReviewAction.Approve, null,
            Campaign.Create(Scopes.Ministry, new CampaignDraft(Level.Excellent, 2026, "2026-03-01", "2026-04-01", "2026-10-31", []), Scopes.Reference, null, Guid.NewGuid(), Now),
            new DateOnly(2026, 10, 1), Now));
        Assert.Contains("take effect from MIIT's published decision: record it", review.Message);
    }

    [Fact]
    public void The_decision_sets_the_leading_cultivation_period_of_at_most_two_years_004_六()
    {
        Assert.Equal(new DateOnly(2028, 11, 20), Decision(Level.Leading).CultivationEndsOn);
        Assert.Equal(new DateOnly(2028, 5, 20), Decision(Level.Leading, "2028-05-20").CultivationEndsOn);
        var tooLong = Assert.Throws<ValidationException>(() => Decision(Level.Leading, "2028-11-21"));
        Assert.Equal("must be after 2026-11-20 and at most 2 years later, by 2028-11-20 (004 六)", Assert.Single(tooLong.Violations).Description);
        Assert.Equal(["cultivation_ends_on"], Assert.Throws<ValidationException>(() => Decision(Level.Excellent, "2027-01-01")).Violations.Select(v => v.Field));
    }

    [Fact]
    public void The_plaque_is_recorded_once_for_excellent_and_leading_003_第十五条()
    {
        var application = new Application(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Level.Excellent, ApplicationStatus.Approved,
            Form(), [], [], "420000", null, 5, Now, Now, []);
        var excellent = Recognition.FromNationalDecision(application, Decision(Level.Excellent), 2026, Scopes.Ministry, Guid.NewGuid(), Now);
        var today = new DateOnly(2026, 12, 1);
        Assert.Throws<ForbiddenException>(() => excellent.RecordPlaque(Scopes.Hubei, 1, today, today, Now));
        Assert.Equal(["awarded_on"], Assert.Throws<ValidationException>(() => excellent.RecordPlaque(Scopes.Ministry, 1, new DateOnly(2026, 11, 1), today, Now))
            .Violations.Select(v => v.Field));
        var plaque = excellent.RecordPlaque(Scopes.Ministry, 1, today, today, Now);
        Assert.Equal((today, "plaque_awarded"), (plaque.PlaqueAwardedOn, plaque.History[^1].Kind));
        Assert.Throws<RuleViolationException>(() => plaque.RecordPlaque(Scopes.Ministry, 2, today, today, Now));
    }

    [Fact]
    public void Removal_causes_are_open_and_the_province_no_longer_removes_excellent_003_第二十条_004_四()
    {
        var application = new Application(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Level.Excellent, ApplicationStatus.Approved,
            Form(), [], [], "420000", null, 5, Now, Now, []);
        var excellent = Recognition.FromNationalDecision(application, Decision(Level.Excellent), 2026, Scopes.Ministry, Guid.NewGuid(), Now);
        var today = new DateOnly(2026, 12, 1);
        Assert.Throws<ForbiddenException>(() => excellent.Remove(Scopes.Hubei, 1, RemovalCause.Other, "违规", null, today, Now));
        var missing = Assert.Throws<ValidationException>(() => excellent.Remove(Scopes.Ministry, 1, RemovalCause.Other, " ", null, today, Now));
        Assert.Equal(["description"], missing.Violations.Select(v => v.Field));
        var removed = excellent.Remove(Scopes.Ministry, 1, RemovalCause.Other, "违规转让生产线未报告", null, today, Now);
        Assert.Equal((RecognitionStatus.Removed, new DateOnly(2029, 12, 1)), (removed.Status, removed.BanUntil));
        Assert.StartsWith("removed for other", removed.EndReason, StringComparison.Ordinal);
    }
}
