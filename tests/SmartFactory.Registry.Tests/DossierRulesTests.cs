using SmartFactory.Kernel;
using SmartFactory.Registry.Domain;
using SmartFactory.TestSupport;

namespace SmartFactory.Registry.Tests;

/// <summary>The dossier's rules without a database: what submission needs, who reads and changes, what each kind of file takes.</summary>
public class DossierRulesTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);
    private static readonly CallerScope Enterprise = new("e", "企业", Role.Enterprise, "", "91420100MA4K0000X1");
    private static readonly CallerScope Wuhan = new("c", "武汉市经信局", Role.City, "420100", null);
    private static readonly CallerScope Province = new("p", "省经信厅", Role.Province, "420000", null);
    private static readonly CallerScope Ministry = new("m", "工信部", Role.Ministry, "000000", null);
    private static readonly CallerScope Service = new("s", "notices", Role.Service, "", null);

    private static Application App(Level level = Level.Basic, ApplicationStatus status = ApplicationStatus.Draft, params string[] scenarios) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), level, status,
            new ApplicationForm(2, new DateOnly(2026, 1, 5), "SA-1", "2025", scenarios.Length == 0 ? ["2025-20", "2025-24"] : scenarios,
                new Dictionary<string, double>(), true, [], 5000, LegalForm.Independent),
            [], [], null, null, 1, Now, Now, []);

    private static DossierFile File(Application app, DossierFileKind kind, string subject = "", long size = 100) =>
        new(app.Id, kind, subject, new EvidenceFile(Guid.NewGuid(), "f", "application/pdf", size, "00"), "enterprise", Now);

    private static ScenarioNarrative Narrative(string scenario, string results = "数控化率95%") =>
        new(scenario, "现状", "痛点", "方案", "设备与软件", "供应商", results, Now);

    [Fact]
    public void An_empty_dossier_lacks_everything_submission_needs_003_第十七条()
    {
        var app = App();
        Assert.Equal([
            "the dossier lacks the dossier (申报书, PDF)",
            "the dossier lacks the signed and sealed commitment letter (承诺书)",
            "the dossier lacks the list of key equipment (关键设备清单)",
            "the dossier lacks the list of industrial software (工业软件清单)",
            "the basic requirement above_designated_size needs its evidence (declaration_evidence): 规模以上工业企业，企业和产品均具有较强市场竞争力",
            "the basic requirement organisation_and_people needs its evidence (declaration_evidence): 建立智能工厂统筹规划、建设和运营的组织机制，拥有一批智能制造专业人才",
            "scenario 2025-20 has no narrative", "scenario 2025-20 has no evidence file",
            "scenario 2025-24 has no narrative", "scenario 2025-24 has no evidence file",
        ], new Dossier(app.Id, [], []).MissingToSubmit(app.Form.ScenarioIds));
    }

    [Fact]
    public void A_complete_dossier_lacks_nothing_and_a_blank_field_or_a_scenario_without_evidence_is_named_003_第十七条()
    {
        var app = App();
        DossierFile[] files =
        [
            File(app, DossierFileKind.Dossier), File(app, DossierFileKind.CommitmentLetter), File(app, DossierFileKind.EquipmentList),
            File(app, DossierFileKind.SoftwareList), File(app, DossierFileKind.ScenarioEvidence, "2025-20"), File(app, DossierFileKind.ScenarioEvidence, "2025-24"),
            File(app, DossierFileKind.DeclarationEvidence, "above_designated_size"), File(app, DossierFileKind.DeclarationEvidence, "organisation_and_people"),
        ];
        var complete = new Dossier(app.Id, files, [Narrative("2025-20"), Narrative("2025-24")]);
        Assert.Empty(complete.MissingToSubmit(app.Form.ScenarioIds));
        complete.ThrowIfIncomplete(app.Form.ScenarioIds);

        // Evidence of another scenario, or of a declaration, is not the scenario's.
        var gaps = new Dossier(app.Id, [.. files[..5], .. files[6..], File(app, DossierFileKind.DeclarationEvidence, "2025-24")],
            [Narrative("2025-20"), Narrative("2025-24", results: "") with { Suppliers = "" }]);
        var refused = Assert.Throws<RuleViolationException>(() => gaps.ThrowIfIncomplete(app.Form.ScenarioIds));
        Assert.Equal(["scenario 2025-24's narrative lacks suppliers, results", "scenario 2025-24 has no evidence file"], refused.Rules);
    }

    [Theory]
    [InlineData(Level.Basic, "enterprise city")]
    [InlineData(Level.Advanced, "enterprise city province")]
    [InlineData(Level.Excellent, "enterprise province ministry")]
    [InlineData(Level.Leading, "enterprise province ministry")]
    public void The_dossier_is_read_by_the_enterprise_and_the_reviewing_authorities_only_003_第二十二条(Level level, string readers)
    {
        CallerScope[] callers = [Enterprise, Wuhan, Province, Ministry, Service];
        Assert.Equal(readers, string.Join(" ", callers.Where(c => DossierAccess.MayRead(c, level)).Select(c => c.Role.ToString().ToLowerInvariant())));
        foreach (var caller in callers.Where(c => !DossierAccess.MayRead(c, level)))
            Assert.Throws<NotFoundException>(() => DossierAccess.ThrowUnlessReadable(caller, App(level)));
    }

    [Fact]
    public void The_enterprise_changes_its_dossier_only_while_a_draft_or_returned_003_第八条()
    {
        DossierAccess.CheckChange(Enterprise, App(status: ApplicationStatus.Draft), DossierFileKind.Dossier);
        DossierAccess.CheckChange(Enterprise, App(status: ApplicationStatus.Returned), null);
        var locked = Assert.Throws<RuleViolationException>(() => DossierAccess.CheckChange(Enterprise, App(status: ApplicationStatus.Submitted), DossierFileKind.ScenarioEvidence));
        Assert.Equal(["a submitted application's dossier can no longer be changed"], locked.Rules);
        Assert.Throws<RuleViolationException>(() => DossierAccess.CheckChange(Enterprise, App(status: ApplicationStatus.Approved), null));
        Assert.Throws<ForbiddenException>(() => DossierAccess.CheckChange(Wuhan, App(), DossierFileKind.Dossier));
        Assert.Throws<ForbiddenException>(() => DossierAccess.CheckChange(Enterprise, App(), DossierFileKind.VerificationAttachment));
    }

    [Fact]
    public void A_verification_attachment_is_added_by_the_authority_whose_review_the_application_awaits_003_第十条_第十二条()
    {
        DossierAccess.CheckChange(Wuhan, App(Level.Basic, ApplicationStatus.Submitted), DossierFileKind.VerificationAttachment);
        DossierAccess.CheckChange(Province, App(Level.Advanced, ApplicationStatus.Recommended), DossierFileKind.VerificationAttachment);
        DossierAccess.CheckChange(Province, App(Level.Excellent, ApplicationStatus.Submitted), DossierFileKind.VerificationAttachment);
        DossierAccess.CheckChange(Ministry, App(Level.Leading, ApplicationStatus.Recommended), DossierFileKind.VerificationAttachment);
        var notYet = Assert.Throws<RuleViolationException>(() => DossierAccess.CheckChange(Province, App(Level.Advanced, ApplicationStatus.Submitted), DossierFileKind.VerificationAttachment));
        Assert.Equal(["the city reviews this application now"], notYet.Rules);
        var draft = Assert.Throws<RuleViolationException>(() => DossierAccess.CheckChange(Wuhan, App(Level.Basic, ApplicationStatus.Draft), DossierFileKind.VerificationAttachment));
        Assert.Equal(["a draft application awaits no review: verification attachments are added during the review"], draft.Rules);
        // The province does not review a basic application: its dossier is not the province's to see at all.
        Assert.Throws<NotFoundException>(() => DossierAccess.CheckChange(Province, App(Level.Basic, ApplicationStatus.Submitted), DossierFileKind.VerificationAttachment));
    }

    [Fact]
    public void Each_kind_takes_its_types_and_subject_with_every_wrong_field_at_once()
    {
        var app = App();
        var empty = new Dossier(app.Id, [], []);
        var wrong = Assert.Throws<ValidationException>(() => DossierFiles.Upload(app, empty, DossierFileKind.EquipmentList, "2025-20",
            new EvidenceUpload("关键设备清单.xlsx", "", Dossiers.Docx()), Enterprise, Now));
        Assert.Equal([("subject", "the list of key equipment (关键设备清单) has no subject"), ("file.content", "is a DOCX file, not an XLSX or PDF file")],
            wrong.Violations.Select(v => (v.Field, v.Description)));
        Assert.Equal("file.content", Assert.Throws<ValidationException>(() => DossierFiles.Upload(app, empty, DossierFileKind.Dossier, "",
            new EvidenceUpload("申报书.pdf", "", Dossiers.Png), Enterprise, Now)).Violations.Single().Field);
        Assert.Equal("subject", Assert.Throws<ValidationException>(() => DossierFiles.Upload(app, empty, DossierFileKind.ScenarioEvidence, "2025-99",
            new EvidenceUpload("a.pdf", "", Dossiers.Pdf()), Enterprise, Now)).Violations.Single().Field);
        Assert.Equal("subject", Assert.Throws<ValidationException>(() => DossierFiles.Upload(app, empty, DossierFileKind.DeclarationEvidence, "Above-Size",
            new EvidenceUpload("a.pdf", "", Dossiers.Pdf()), Enterprise, Now)).Violations.Single().Field);

        var (letter, replaces) = DossierFiles.Upload(app, empty, DossierFileKind.CommitmentLetter, null, new EvidenceUpload("承诺书.jpg", "image/jpeg", Dossiers.Jpeg), Enterprise, Now);
        Assert.Equal((DossierFileKind.CommitmentLetter, "", "image/jpeg", (DossierFile?)null), (letter.Kind, letter.Subject, letter.File.ContentType, replaces));
        var (declaration, _) = DossierFiles.Upload(app, empty, DossierFileKind.DeclarationEvidence, "above_designated_size",
            new EvidenceUpload("统计报表.docx", "", Dossiers.Docx()), Enterprise, Now);
        Assert.Equal(("above_designated_size", "enterprise"), (declaration.Subject, declaration.UploadedByRole));
    }

    [Fact]
    public void A_single_file_kind_replaces_its_file_and_the_limits_hold()
    {
        var app = App();
        var old = File(app, DossierFileKind.Dossier, size: DossierFiles.MaxTotalBytes - 10);
        var (_, replaces) = DossierFiles.Upload(app, new Dossier(app.Id, [old], []), DossierFileKind.Dossier, "", new EvidenceUpload("v2.pdf", "", Dossiers.Pdf()), Enterprise, Now);
        Assert.Equal(old, replaces);
        var full = Assert.Throws<RuleViolationException>(() => DossierFiles.Upload(app, new Dossier(app.Id, [old], []), DossierFileKind.ScenarioEvidence, "2025-20",
            new EvidenceUpload("a.pdf", "", Dossiers.Pdf()), Enterprise, Now));
        Assert.Equal(["an application's files may take at most 200 MiB together; this one would exceed it"], full.Rules);
        var many = new Dossier(app.Id, [.. Enumerable.Range(0, DossierFiles.MaxFilesPerSubject).Select(_ => File(app, DossierFileKind.ScenarioEvidence, "2025-20"))], []);
        Assert.Throws<RuleViolationException>(() => DossierFiles.Upload(app, many, DossierFileKind.ScenarioEvidence, "2025-20", new EvidenceUpload("a.pdf", "", Dossiers.Pdf()), Enterprise, Now));
        var tooBig = Assert.Throws<ValidationException>(() => DossierFiles.Upload(app, new Dossier(app.Id, [], []), DossierFileKind.Dossier, "",
            new EvidenceUpload("big.pdf", "", [.. "%PDF-"u8, .. new byte[DossierFiles.MaxFileBytes]]), Enterprise, Now));
        Assert.Equal("is 20.0 MiB; at most 20 MiB per file", tooBig.Violations.Single().Description);
    }

    [Fact]
    public void A_narrative_is_of_a_scenario_of_the_application_within_its_limits()
    {
        var app = App();
        var refused = Assert.Throws<ValidationException>(() => ScenarioNarrative.Read(app, "2025-01", "现状", new string('痛', ScenarioNarrative.MaxFieldLength + 1),
            "方案", "设备", "供应商\u0000", "成效", Now));
        Assert.Equal(["scenario_id", "pain_points", "suppliers"], refused.Violations.Select(v => v.Field));
        var draft = ScenarioNarrative.Read(app, " 2025-24 ", " 现状 ", null, null, null, null, null, Now);
        Assert.Equal(("2025-24", "现状"), (draft.ScenarioId, draft.CurrentState));
        Assert.Equal(["pain_points", "solution", "equipment_and_software", "suppliers", "results"], draft.Blank());
    }
}
