using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;
using static SmartFactory.TestSupport.GrpcTesting;
using BusinessDates = SmartFactory.Registry.Domain.BusinessDates;

namespace SmartFactory.Registry.Tests;

/// <summary>
/// The dossier over gRPC with real tokens: files stored and read back with their SHA-256, the state locks, submission
/// refused while incomplete, an audit row for every view and download, and who may read (003 第二十二条).
/// </summary>
public class DossierGrpcTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly string[] AllAreas = RegistryFixture.AllAreas;

    private DateOnly Today => BusinessDates.Today(registry.Clock);

    [Fact]
    public async Task Files_are_uploaded_replaced_deleted_and_downloaded_with_their_SHA256_each_view_audited_003_第二十二条()
    {
        registry.Clock.SetChinaDate(new DateOnly(2041, 3, 2));
        var (owner, draft) = await NewDraft("420100", Level.Basic);
        var enterprise = registry.EnterpriseToken(owner.CreditCode);

        var empty = await Get(draft.Id, enterprise);
        Assert.Empty(empty.Files);
        Assert.Equal(4 + 2 + 2 * AllAreas.Length, empty.Missing.Count); // four files, two requirements' evidence, and per scenario a narrative and evidence
        Assert.Equal(1, await Audits("dossier.viewed", draft.Id));

        var first = await Upload(Dossiers.File(draft.Id, DossierFileKind.Dossier, Dossiers.Pdf("v1"), "申报书.pdf"), enterprise);
        var pdf = Dossiers.Pdf("v2");
        var second = await Upload(Dossiers.File(draft.Id, DossierFileKind.Dossier, pdf, "申报书（修订）.pdf"), enterprise);
        Assert.Equal((DossierFileKind.Dossier, "application/pdf", Convert.ToHexStringLower(SHA256.HashData(pdf)), pdf.Length, "enterprise"),
            (second.Kind, second.ContentType, second.Sha256, (int)second.Size, second.UploadedByRole));
        var listed = await Get(draft.Id, enterprise);
        Assert.Equal([second.Id], listed.Files.Select(f => f.Id)); // replaced: one dossier PDF
        Assert.Equal(pdf.Length, listed.TotalSize);
        Assert.Equal(1, await Audits("dossier.file_replaced", second.Id));

        var downloaded = await Download(draft.Id, second.Id, enterprise);
        Assert.Equal(pdf, downloaded.Content.ToByteArray());
        Assert.Equal((second.Sha256, "application/pdf", "申报书（修订）.pdf"), (downloaded.Info.Sha256, downloaded.Info.ContentType, downloaded.Info.FileName));
        Assert.Equal(1, await Audits("dossier.file_downloaded", second.Id));
        Assert.Equal("enterprise " + owner.CreditCode, await registry.Database.ScalarAsync<string>(
            $"select actor_role || ' ' || actor_scope from registry.audit_log where action = 'dossier.file_downloaded' and entity_id = '{second.Id}'"));
        await AssertStatus(StatusCode.NotFound, () => Download(draft.Id, first.Id, enterprise));

        var evidence = await Upload(Dossiers.File(draft.Id, DossierFileKind.ScenarioEvidence, Dossiers.Png, "现场照片.png", "2025-20"), enterprise);
        await registry.Call<DeleteDossierFileRequest, DeleteDossierFileResponse>("DeleteDossierFile", new() { ApplicationId = draft.Id, FileId = evidence.Id }, enterprise);
        Assert.DoesNotContain(evidence.Id, (await Get(draft.Id, enterprise)).Files.Select(f => f.Id));
        Assert.Equal(1, await Audits("dossier.file_deleted", evidence.Id));
        Assert.Equal(3, await Audits("dossier.viewed", draft.Id));

        // The bytes are in the evidence store only: no audit row holds them, nor the change feed any dossier event.
        Assert.Equal(0, await registry.Database.ScalarAsync<int>(
            $"select count(*) from registry.audit_log where coalesce(after::text, '') || coalesce(before::text, '') like '%{Convert.ToBase64String(pdf)[..16]}%'"));
        Assert.Equal(0, await registry.Database.ScalarAsync<int>("select count(*) from registry.changes where kind like 'dossier%'"));
    }

    [Fact]
    public async Task Bad_input_names_every_wrong_field_and_stores_nothing()
    {
        registry.Clock.SetChinaDate(new DateOnly(2042, 3, 2));
        var (owner, draft) = await NewDraft("420100", Level.Basic);
        var enterprise = registry.EnterpriseToken(owner.CreditCode);
        var before = await registry.Database.ScalarAsync<int>("select count(*) from registry.audit_log");

        var wrong = await AssertStatus(StatusCode.InvalidArgument, () => Upload(new UploadDossierFileRequest
        {
            ApplicationId = draft.Id, Kind = DossierFileKind.SoftwareList, Subject = "x", FileName = "", ContentType = "application/pdf",
            Content = ByteString.CopyFrom(Dossiers.Docx()),
        }, enterprise));
        Assert.Equal(["subject", "file.file_name", "file.content"], wrong.FieldViolations.Select(v => v.Field));
        var kindless = await AssertStatus(StatusCode.InvalidArgument, () => Upload(new() { ApplicationId = draft.Id, FileName = "a.pdf", Content = ByteString.CopyFrom(Dossiers.Pdf()) }, enterprise));
        Assert.Equal("kind", kindless.FieldViolations.Single().Field);
        var shapeless = await AssertStatus(StatusCode.InvalidArgument, () => Upload(new() { ApplicationId = "x" }, enterprise));
        Assert.Equal(["application_id", "kind"], shapeless.FieldViolations.Select(v => v.Field));
        var download = await AssertStatus(StatusCode.InvalidArgument, () => Download("x", "y", enterprise));
        Assert.Equal(["application_id", "file_id"], download.FieldViolations.Select(v => v.Field));
        var ids = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<DeleteDossierFileRequest, DeleteDossierFileResponse>("DeleteDossierFile",
            new() { ApplicationId = "x", FileId = "y" }, enterprise));
        Assert.Equal(["application_id", "file_id"], ids.FieldViolations.Select(v => v.Field));
        await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<SaveScenarioNarrativeRequest, ScenarioNarrative>("SaveScenarioNarrative",
            new() { ApplicationId = draft.Id, ScenarioId = "2025-01", Results = new string('成', 5001) }, enterprise));

        Assert.Equal(before, await registry.Database.ScalarAsync<int>("select count(*) from registry.audit_log"));
        Assert.Equal(0, await registry.Database.ScalarAsync<int>($"select count(*) from registry.dossier_evidence where application_id = '{draft.Id}'"));
    }

    [Fact]
    public async Task Submission_needs_a_complete_dossier_which_is_then_locked_but_for_the_reviewers_verification_003_第十七条()
    {
        registry.Clock.SetChinaDate(new DateOnly(2043, 3, 2));
        var (owner, draft) = await NewDraft("420500", Level.Basic);
        var enterprise = registry.EnterpriseToken(owner.CreditCode);
        var city = registry.City("420500");
        await Upload(Dossiers.File(draft.Id, DossierFileKind.Dossier, Dossiers.Pdf(), "申报书.pdf"), enterprise);

        var incomplete = await AssertStatus(StatusCode.FailedPrecondition, () => Submit(draft, enterprise));
        Assert.Contains("the dossier lacks the signed and sealed commitment letter (承诺书)", incomplete.Status.Detail);
        Assert.Contains($"scenario {AllAreas[^1]} has no evidence file", incomplete.Status.Detail);
        Assert.DoesNotContain("申报书, PDF", incomplete.Status.Detail);
        Assert.Equal(ApplicationStatus.Draft, (await registry.Call<GetApplicationRequest, Application>("GetApplication", new() { Id = draft.Id }, enterprise)).Status);

        await Dossiers.CompleteAsync(registry.Invoker, draft.Id, AllAreas, enterprise);
        Assert.Empty((await Get(draft.Id, enterprise)).Missing);
        var submitted = await Submit(draft, enterprise);
        Assert.Equal(ApplicationStatus.Submitted, submitted.Status);

        var file = (await Get(draft.Id, enterprise)).Files[0];
        var locked = await AssertStatus(StatusCode.FailedPrecondition, () => Upload(Dossiers.File(draft.Id, DossierFileKind.Dossier, Dossiers.Pdf(), "新.pdf"), enterprise));
        Assert.Equal("a submitted application's dossier can no longer be changed", locked.Status.Detail);
        await AssertStatus(StatusCode.FailedPrecondition, () => registry.Call<DeleteDossierFileRequest, DeleteDossierFileResponse>("DeleteDossierFile",
            new() { ApplicationId = draft.Id, FileId = file.Id }, enterprise));
        await AssertStatus(StatusCode.FailedPrecondition, () => registry.Call<SaveScenarioNarrativeRequest, ScenarioNarrative>("SaveScenarioNarrative",
            Dossiers.Narrative(draft.Id, AllAreas[0]), enterprise));

        // The city, reviewing, attaches what another body told it about a declaration; the enterprise may not.
        var verification = Dossiers.File(draft.Id, DossierFileKind.VerificationAttachment, Dossiers.Pdf("统计局复函"), "统计局复函.pdf", "above_designated_size");
        await AssertStatus(StatusCode.PermissionDenied, () => Upload(verification, enterprise));
        await AssertStatus(StatusCode.PermissionDenied, () => Upload(Dossiers.File(draft.Id, DossierFileKind.ScenarioEvidence, Dossiers.Pdf(), "a.pdf", AllAreas[0]), city));
        var attached = await Upload(verification, city);
        Assert.Equal(("city", "above_designated_size"), (attached.UploadedByRole, attached.Subject));

        // Returned: the enterprise may change its materials again, and the city no longer attaches.
        var returned = await registry.Call<ReviewApplicationRequest, Application>("ReviewApplication",
            new() { Id = draft.Id, ExpectedVersion = submitted.Version, Action = ReviewAction.Return, Comments = "补充设备清单" }, city);
        await Upload(Dossiers.File(draft.Id, DossierFileKind.EquipmentList, Dossiers.Xlsx(), "关键设备清单（补充）.xlsx"), enterprise);
        await AssertStatus(StatusCode.FailedPrecondition, () => Upload(verification, city));
        Assert.Equal(ApplicationStatus.Submitted, (await Submit(returned, enterprise)).Status);
    }

    [Fact]
    public async Task Dossier_files_are_seen_by_the_enterprise_and_its_reviewers_only_anyone_else_hears_NOT_FOUND_003_第二十二条()
    {
        registry.Clock.SetChinaDate(new DateOnly(2044, 3, 2));
        var (owner, basicFactory) = await NewFactory("420100");
        var basic = await Draft(owner, basicFactory, Level.Basic);
        var (advancedOwner, advancedFactory) = await NewFactory("420100");
        await Recognize(advancedOwner, advancedFactory, Level.Basic);
        var advanced = await Draft(advancedOwner, advancedFactory, Level.Advanced);
        var (excellentOwner, excellentFactory) = await NewFactory("420100");
        await Recognize(excellentOwner, excellentFactory, Level.Basic);
        await Recognize(excellentOwner, excellentFactory, Level.Advanced);
        var excellent = await Draft(excellentOwner, excellentFactory, Level.Excellent);

        var anotherEnterprise = registry.EnterpriseToken(CreditCodes.New("420100"));
        (string Name, string Token, bool Basic, bool Advanced, bool Excellent)[] callers =
        [
            ("own enterprise", "", true, true, true),
            ("another enterprise", anotherEnterprise, false, false, false),
            ("the city", registry.City("420100"), true, true, false),
            ("another city", registry.City("420500"), false, false, false),
            ("the province", registry.Province, false, true, true),
            ("the ministry", registry.Ministry, false, false, true),
            ("a service", registry.Issuer.ServiceToken(), false, false, false),
        ];
        var failures = new List<string>();
        foreach (var (application, applicant, pick) in new (Application, Enterprise, Func<(string, string, bool, bool, bool), bool>)[]
        {
            (basic, owner, c => c.Item3), (advanced, advancedOwner, c => c.Item4), (excellent, excellentOwner, c => c.Item5),
        })
        {
            var file = (await Get(application.Id, registry.EnterpriseToken(applicant.CreditCode))).Files[0];
            foreach (var caller in callers)
            {
                var token = caller.Token.Length == 0 ? registry.EnterpriseToken(applicant.CreditCode) : caller.Token;
                var reads = pick(caller);
                var viewed = await Status(() => Get(application.Id, token));
                var downloaded = await Status(() => Download(application.Id, file.Id, token));
                var expected = reads ? StatusCode.OK : StatusCode.NotFound;
                if (viewed != expected || downloaded != expected)
                    failures.Add($"{application.Level} as {caller.Name}: view {viewed}, download {downloaded}, expected {expected}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Each successful view and download left its row, with who read it: basic by two readers, advanced by three.
        Assert.Equal(2 + 3, await Audits("dossier.file_downloaded", null, "where entity_id in (select id::text from registry.dossier_files where application_id in " +
            $"('{basic.Id}', '{advanced.Id}'))"));
        Assert.Equal("enterprise,ministry,province", await registry.Database.ScalarAsync<string>(
            $"select string_agg(distinct actor_role, ',' order by actor_role) from registry.audit_log where action = 'dossier.viewed' and entity_id = '{excellent.Id}'"));
    }

    // ----- helpers

    private Task<Dossier> Get(string applicationId, string token) =>
        registry.Call<GetDossierRequest, Dossier>("GetDossier", new() { ApplicationId = applicationId }, token);

    private Task<DossierFile> Upload(UploadDossierFileRequest request, string token) => registry.Call<UploadDossierFileRequest, DossierFile>("UploadDossierFile", request, token);

    private Task<DossierFileContent> Download(string applicationId, string fileId, string token) =>
        registry.Call<DownloadDossierFileRequest, DossierFileContent>("DownloadDossierFile", new() { ApplicationId = applicationId, FileId = fileId }, token);

    private Task<Application> Submit(Application draft, string token) =>
        registry.Call<SubmitApplicationRequest, Application>("SubmitApplication", new() { Id = draft.Id, ExpectedVersion = draft.Version }, token);

    private static async Task<StatusCode> Status(Func<Task> call)
    {
        try { await call(); return StatusCode.OK; }
        catch (RpcException e) { return e.StatusCode; }
    }

    private async Task<int> Audits(string action, string? entityId, string? where = null) => await registry.Database.ScalarAsync<int>(
        $"select count(*) from registry.audit_log {where ?? $"where entity_id = '{entityId}'"} and action = '{action}'");

    private async Task<(Enterprise Owner, Factory Factory)> NewFactory(string region)
    {
        var owner = await registry.RegisterEnterprise(registry.Province, region);
        return (owner, await registry.RegisterFactory(registry.Province, owner, region));
    }

    /// <summary>A new factory's draft of the level, its dossier empty.</summary>
    private async Task<(Enterprise, Application)> NewDraft(string region, Level level)
    {
        var (owner, factory) = await NewFactory(region);
        return (owner, await Draft(owner, factory, level, complete: false));
    }

    private async Task<Application> Draft(Enterprise owner, Factory factory, Level level, bool complete = true)
    {
        var draft = await registry.Call<SaveApplicationRequest, Application>("SaveApplication", Applications.WithForm(new()
        {
            CampaignId = (await CampaignFor(level, factory.RegionCode)).Id, FactoryId = factory.Id,
            Maturity = new Maturity { Level = 4, AssessedOn = BusinessDates.Iso(Today.AddDays(-30)), CertificateRef = "SA-" + factory.Id[..8] },
            CatalogEdition = "2025", ScenarioIds = { AllAreas },
        }), registry.EnterpriseToken(owner.CreditCode));
        if (complete) await Dossiers.CompleteAsync(registry.Invoker, draft.Id, AllAreas, registry.EnterpriseToken(owner.CreditCode));
        return draft;
    }

    private async Task Recognize(Enterprise owner, Factory factory, Level level)
    {
        var draft = await Draft(owner, factory, level);
        var application = await Submit(draft, registry.EnterpriseToken(owner.CreditCode));
        var steps = level == Level.Basic ? new[] { (registry.City(factory.RegionCode), ReviewAction.Approve) }
            : [(registry.City(factory.RegionCode), ReviewAction.Recommend), (registry.Province, ReviewAction.Approve)];
        foreach (var (token, action) in steps)
        {
            if (action == ReviewAction.Recommend)
            {
                application = await LifecycleGrpcTests.Recommend(registry, application, token);
                continue;
            }
            application = await Applications.VerifyAllAsync(registry.Invoker, application, token);
            application = await registry.Call<ReviewApplicationRequest, Application>("ReviewApplication",
                new() { Id = application.Id, ExpectedVersion = application.Version, Action = action }, token);
        }
        await registry.Call<TakeEffectRequest, Recognition>("TakeEffect",
            new() { ApplicationId = application.Id, RequestId = Guid.NewGuid().ToString() }, registry.Issuer.ServiceToken());
    }

    private Task<Campaign> CampaignFor(Level level, string region) => Applications.RoundAsync(registry.Invoker, registry.Issuer, level, region, Today);
}
