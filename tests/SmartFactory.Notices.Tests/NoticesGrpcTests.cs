extern alias registry;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Kernel;
using SmartFactory.Notices.Data;
using SmartFactory.Notices.Jobs;
using SmartFactory.ServiceDefaults;
using SmartFactory.TestSupport;
using static SmartFactory.TestSupport.GrpcTesting;
using Domain = SmartFactory.Notices.Domain;
using EvidenceFile = SmartFactory.Contracts.Notices.V1.EvidenceFile;

namespace SmartFactory.Notices.Tests;

/// <summary>
/// Publicity end to end over gRPC: apply → approve → notice → objection → close → the registry. The working-day data
/// covers 2024-2026, so each test keeps to a month of its own there; a year's basic campaign is open all year.
/// </summary>
public class NoticesGrpcTests(NoticesFixture fixture) : IClassFixture<NoticesFixture>
{
    private static readonly byte[] Pdf = [.. "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"u8];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    [Fact]
    public async Task Apply_approve_publicize_object_dismiss_close_and_the_recognition_is_active()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2026, 9, 21)); // the Monday before National Day
        var application = await ApprovedBasic("420100");
        var wuhan = fixture.City("420100");

        var draft = await fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice", new()
        {
            Title = "2026年武汉市基础级智能工厂拟认定名单公示", ApplicationIds = { application.Id },
        }, wuhan);
        // 5 working days from Tuesday 22 September: 22, 23, 24, then Friday 25 is 中秋 (a holiday), 28, 29.
        Assert.Equal((NoticeStatus.Draft, "2026-09-22", "2026-09-29"), (draft.Status, draft.StartsOn, draft.EndsOn));
        await AssertStatus(StatusCode.NotFound, () => fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = draft.Id }, null));

        var published = await fixture.CallNotices<NoticeActionRequest, Notice>("PublishNotice", new() { Id = draft.Id, ExpectedVersion = draft.Version }, wuhan);
        var item = Assert.Single((await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = draft.Id }, null)).Items);
        Assert.Equal((application.FactoryName, application.EnterpriseName, "420100"), (item.FactoryName, item.EnterpriseName, item.RegionCode));

        await AssertStatus(StatusCode.FailedPrecondition, () => Object(published.Id, item.Id)); // before the period
        fixture.Clock.SetChinaDate(new DateOnly(2026, 9, 24));
        var receipt = await Object(published.Id, item.Id, evidence: [new EvidenceFile { FileName = "证明.pdf", ContentType = "application/pdf", Content = ByteString.CopyFrom(Pdf) }]);
        Assert.Matches(@"^YY-20260924-\d{6}$", receipt.ReceiptNumber);

        // Only the publishing authority sees who objected.
        var objections = await fixture.CallNotices<ListObjectionsRequest, ListObjectionsResponse>("ListObjections", new() { NoticeId = published.Id }, wuhan);
        var objection = Assert.Single(objections.Objections);
        Assert.Equal(("张三", "13800138000", "pending"), (objection.ObjectorName, objection.ContactPhone, objection.Status));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf)), Assert.Single(objection.Evidence).Sha256);
        foreach (var outsider in new[] { fixture.Enterprise(applicants[application.Id]), fixture.City("420600"), fixture.Province })
            await AssertStatus(StatusCode.NotFound, () => fixture.CallNotices<ListObjectionsRequest, ListObjectionsResponse>("ListObjections",
                new() { NoticeId = published.Id }, outsider));
        var publicView = (await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = published.Id }, null)).ToString();
        Assert.DoesNotContain("张三", publicView);
        Assert.DoesNotContain("13800138000", publicView);

        await AssertStatus(StatusCode.FailedPrecondition, () => Close(published, wuhan)); // the period still runs
        await fixture.CallNotices<ResolveObjectionRequest, Objection>("ResolveObjection",
            new() { Id = objection.Id, ExpectedVersion = objection.Version, Upheld = false, Reason = "经核实，申报信息属实" }, wuhan);

        fixture.Clock.SetChinaDate(new DateOnly(2026, 9, 30));
        var closed = await Close(published, wuhan);
        Assert.Equal((NoticeStatus.Closed, "took_effect"), (closed.Status, Assert.Single(closed.Items).Outcome));
        Assert.Equal(1, await fixture.Jobs.RelayOnceAsync());

        var recognition = await Recognition(application.RecognitionId);
        Assert.Equal((RecognitionStatus.Active, "2026-09-30"), (recognition.Status, recognition.EffectiveOn));
        var filings = await fixture.CallNotices<ListFilingsRequest, ListFilingsResponse>("ListFilings", new(), fixture.Province);
        var filing = Assert.Single(filings.Filings, f => f.NoticeId == published.Id);
        Assert.Equal(("420100", "420000", 1, 0), (filing.FromRegion, filing.ToRegion, filing.ItemsTookEffect, filing.ItemsRejected));
        Assert.DoesNotContain((await fixture.CallNotices<ListFilingsRequest, ListFilingsResponse>("ListFilings", new(), fixture.Ministry)).Filings,
            f => f.NoticeId == published.Id);
    }

    [Fact]
    public async Task An_upheld_objection_keeps_its_item_out()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2026, 3, 2));
        var first = await ApprovedBasic("420500");
        var second = await ApprovedBasic("420500");
        var yichang = fixture.City("420500");
        var notice = await Publish(yichang, first, second);
        fixture.Clock.SetChinaDate(new DateOnly(2026, 3, 4));
        await Object(notice.Id, notice.Items[1].Id);
        var objection = Assert.Single((await fixture.CallNotices<ListObjectionsRequest, ListObjectionsResponse>("ListObjections",
            new() { NoticeId = notice.Id }, yichang)).Objections);
        // The authority's reasons may name the objector, and run to 5000 characters where the registry takes 2000.
        var reason = "场景建设内容与实际不符，异议人张三提供的现场照片可证。" + new string('详', 4000);
        await fixture.CallNotices<ResolveObjectionRequest, Objection>("ResolveObjection",
            new() { Id = objection.Id, ExpectedVersion = 1, Upheld = true, Reason = reason }, yichang);

        fixture.Clock.SetChinaDate(new DateOnly(2026, 3, 11));
        var closed = await Close(notice, yichang);
        Assert.Equal(["took_effect", "rejected"], closed.Items.Select(i => i.Outcome));
        Assert.Equal(2, await fixture.Jobs.RelayOnceAsync());

        Assert.Equal(RecognitionStatus.Active, (await Recognition(first.RecognitionId)).Status);
        var kept = await Recognition(second.RecognitionId);
        Assert.Equal(RecognitionStatus.Cancelled, kept.Status);
        // The registry, which the enterprise and its change feed read, hears that an objection was upheld in which notice;
        // the authority's own words stay with the objection here.
        Assert.Contains("公示异议成立", kept.EndReason);
        Assert.Contains(notice.Id, kept.EndReason);
        Assert.DoesNotContain("张三", kept.EndReason);
        Assert.Equal(0, await fixture.Database.ScalarAsync<int>(
            "select (select count(*) from registry.changes where payload::text like '%张三%') + (select count(*) from registry.applications where history::text like '%张三%')"));
        var application = await fixture.CallRegistry<GetApplicationRequest, Application>("GetApplication", new() { Id = second.Id }, yichang);
        Assert.Equal(ApplicationStatus.Rejected, application.Status);
        Assert.Equal(reason, (await fixture.CallNotices<ListObjectionsRequest, ListObjectionsResponse>("ListObjections",
            new() { NoticeId = notice.Id }, yichang)).Objections[0].ResolutionReason);
    }

    [Fact]
    public async Task A_restart_between_closing_and_delivery_still_takes_effect_exactly_once()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2025, 4, 7));
        var application = await ApprovedBasic("420600");
        var xiangyang = fixture.City("420600");
        var notice = await Publish(xiangyang, application);
        fixture.Clock.SetChinaDate(new DateOnly(2025, 4, 21));
        await Close(notice, xiangyang);

        // The process dies after the close committed and before the relay ran.
        await fixture.RestartNotices();
        Assert.Equal(RecognitionStatus.PendingPublicity, (await Recognition(application.RecognitionId)).Status);
        Assert.Equal(1, await fixture.Jobs.RelayOnceAsync());
        Assert.Equal(RecognitionStatus.Active, (await Recognition(application.RecognitionId)).Status);

        // The acknowledgement is lost: the same command goes again, and the registry applies it only once.
        await fixture.Database.ScalarAsync<int>(
            $"update notices.outbox set delivered_at = null, next_attempt_at = created_at where payload->>'requestId' like 'notice:{notice.Id}:%'");
        Assert.Equal(1, await fixture.Jobs.RelayOnceAsync());
        Assert.Equal(1, await fixture.Database.ScalarAsync<int>(
            $"select count(*) from registry.audit_log where action = 'recognition.took_effect' and entity_id = '{application.RecognitionId}'"));
        Assert.Equal(0, await fixture.Jobs.RelayOnceAsync());
    }

    [Fact]
    public async Task Objections_are_named_in_period_with_checked_evidence_and_filed_once()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2024, 5, 13));
        var application = await ApprovedBasic("421300");
        var notice = await Publish(fixture.City("421300"), application);
        var item = notice.Items[0].Id;
        fixture.Clock.SetChinaDate(new DateOnly(2024, 5, 15));
        var before = await Objections();

        var anonymous = await AssertStatus(StatusCode.InvalidArgument, () => Object(notice.Id, item, name: "匿名", phone: "12345", grounds: ""));
        Assert.Equal(["objector_name", "contact_phone", "grounds"], anonymous.FieldViolations.Select(v => v.Field));
        Assert.Contains("anonymous objections are not accepted", anonymous.FieldViolations[0].Description);

        var files = await AssertStatus(StatusCode.InvalidArgument, () => Object(notice.Id, item, evidence:
        [
            new EvidenceFile { FileName = "a.pdf", ContentType = "application/pdf", Content = ByteString.CopyFrom(Png) },
            new EvidenceFile { FileName = "b.exe", ContentType = "", Content = ByteString.CopyFrom("MZ\x90\0"u8) },
            new EvidenceFile { FileName = "big.pdf", ContentType = "application/pdf", Content = ByteString.CopyFrom(new byte[10 * 1024 * 1024 + 1]) },
        ]));
        Assert.Equal(["evidence[0].content_type", "evidence[1].content", "evidence[2].content"], files.FieldViolations.Select(v => v.Field));
        var tooMany = await AssertStatus(StatusCode.InvalidArgument, () => Object(notice.Id, item, evidence:
            [.. Enumerable.Range(0, 6).Select(i => new EvidenceFile { FileName = $"{i}.png", Content = ByteString.CopyFrom(Png) })]));
        Assert.Equal("evidence", tooMany.FieldViolations[0].Field);
        Assert.Equal(before, await Objections());

        var once = await Object(notice.Id, item, idempotencyKey: "click-1");
        var twice = await Object(notice.Id, item, idempotencyKey: "click-1");
        Assert.Equal(once.ReceiptNumber, twice.ReceiptNumber);
        Assert.Equal(before + 1, await Objections());

        // The same key from another objector files that objector's own objection.
        var someoneElse = await Object(notice.Id, item, name: "王五", phone: "13900139000", idempotencyKey: "click-1");
        Assert.NotEqual(once.ReceiptNumber, someoneElse.ReceiptNumber);
        Assert.Equal(before + 2, await Objections());

        // The limit counts the address our gateway appended, whatever the client put before it.
        var client = $"client-{Guid.NewGuid():N}";
        for (var i = 0; i < 5; i++) await Object(notice.Id, item, client: $"spoofed-{i}, {client}");
        var limited = await AssertStatus(StatusCode.ResourceExhausted, () => Object(notice.Id, item, client: $"spoofed-9, {client}"));
        Assert.Contains("try again in a minute", limited.Status.Detail);

        fixture.Clock.SetChinaDate(new DateOnly(2024, 5, 30));
        var late = await AssertStatus(StatusCode.FailedPrecondition, () => Object(notice.Id, item));
        Assert.Contains("objections are no longer accepted", late.Status.Detail);
    }

    [Fact]
    public async Task Only_the_recognizing_authority_drafts_and_only_approved_applications_in_its_scope()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2024, 6, 3));
        var application = await ApprovedBasic("420200");
        await AssertStatus(StatusCode.InvalidArgument, () => fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice",
            new() { Title = "黄石公示", ApplicationIds = { application.Id } }, fixture.City("420100")));
        await AssertStatus(StatusCode.PermissionDenied, () => fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice",
            new() { Title = "黄石公示", ApplicationIds = { application.Id } }, fixture.Province));
        var bad = await AssertStatus(StatusCode.InvalidArgument, () => fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice",
            new() { Title = "", ApplicationIds = { application.Id, application.Id }, LengthWorkingDays = 99 }, fixture.City("420200")));
        Assert.Equal(["title", "application_ids", "length_working_days"], bad.FieldViolations.Select(v => v.Field));

        await Publish(fixture.City("420200"), application);
        var twice = await AssertStatus(StatusCode.InvalidArgument, () => fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice",
            new() { Title = "黄石公示（二）", ApplicationIds = { application.Id } }, fixture.City("420200")));
        Assert.Contains("already listed by a notice", twice.FieldViolations[0].Description);
    }

    [Fact]
    public async Task A_stale_draft_reserves_nothing_and_publishing_checks_the_other_published_notices()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2025, 6, 9));
        var application = await ApprovedBasic("420700");
        var ezhou = fixture.City("420700");
        var stale = await Draft(ezhou, application);

        // The draft's period was to start on 10 June: it cannot be published any more, and must not hold the application.
        fixture.Clock.SetChinaDate(new DateOnly(2025, 6, 16));
        var late = await AssertStatus(StatusCode.FailedPrecondition, () => Publish(ezhou, stale));
        Assert.Contains("draft the notice again", late.Status.Detail);
        var again = await Draft(ezhou, application);
        var rival = await Draft(ezhou, application);

        await Publish(ezhou, again);
        var refused = await AssertStatus(StatusCode.FailedPrecondition, () => Publish(ezhou, rival));
        Assert.Contains($"application {application.Id} is already listed by another published notice", refused.Status.Detail);
        Assert.Equal(NoticeStatus.Draft, (await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = rival.Id }, ezhou)).Status);
        var third = await AssertStatus(StatusCode.InvalidArgument, () => Draft(ezhou, application));
        Assert.Contains("already listed by a notice published and not yet closed", third.FieldViolations[0].Description);
    }

    [Fact]
    public async Task Too_many_or_repeated_application_ids_are_refused_before_the_registry_is_asked()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2024, 7, 1));
        var city = fixture.City("420800");
        var tooMany = await AssertStatus(StatusCode.InvalidArgument, () => fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice",
            new() { Title = "荆门公示", ApplicationIds = { Enumerable.Range(0, 501).Select(_ => Guid.NewGuid().ToString()) } }, city));
        // Only the count: none of the 501 ids was looked up (each would have been "not an approved application").
        Assert.Equal("at most 500 applications in one notice", Assert.Single(tooMany.FieldViolations).Description);

        var unknown = Guid.NewGuid().ToString();
        var twice = await AssertStatus(StatusCode.InvalidArgument, () => fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice",
            new() { Title = "荆门公示", ApplicationIds = { unknown, unknown } }, city));
        Assert.Equal($"listed twice: {unknown}", Assert.Single(twice.FieldViolations).Description);
    }

    [Fact]
    public async Task An_objection_checked_before_the_close_and_stored_after_it_is_refused()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2025, 7, 7));
        var application = await ApprovedBasic("420900");
        var xiaogan = fixture.City("420900");
        var notice = await Publish(xiaogan, application);

        // The last day of the period: the service checks the objection against the notice as it reads it...
        var lastDay = new DateOnly(2025, 7, 14);
        fixture.Clock.SetChinaDate(lastDay);
        var store = fixture.Notices.Services.GetRequiredService<NoticesStore>();
        var read = (await store.GetNoticeAsync(Guid.Parse(notice.Id), CancellationToken.None))!;
        var objection = Domain.Objection.File(read, notice.Items[0].Id, "张三", "13800138000", "", "该工厂未建成所列场景", [], lastDay,
            Guid.CreateVersion7(), Domain.Objection.NewReceiptNumber(lastDay), DateTime.UtcNow);
        // ...and the notice closes (just after midnight) before the objection is stored.
        fixture.Clock.SetChinaDate(lastDay.AddDays(1));
        await Close(notice, xiaogan);
        Assert.Equal(1, await fixture.Jobs.RelayOnceAsync());

        var late = await Assert.ThrowsAsync<RuleViolationException>(() =>
            store.InsertObjectionAsync(objection, [], null, lastDay, () => Domain.Objection.NewReceiptNumber(lastDay), CancellationToken.None));
        Assert.Equal("the publicity period ended on 2025-07-14; objections are no longer accepted", Assert.Single(late.Rules));
        Assert.Equal(0, await fixture.Database.ScalarAsync<int>($"select count(*) from notices.objections where notice_id = '{notice.Id}'"));
    }

    [Fact]
    public async Task A_close_waits_for_an_objection_being_filed_and_counts_it()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2025, 9, 1));
        var application = await ApprovedBasic("421000");
        var jingzhou = fixture.City("421000");
        var notice = await Publish(jingzhou, application);
        fixture.Clock.SetChinaDate(new DateOnly(2025, 9, 9));

        // An objection is being stored, as the service stores one: the notice's row held for share, the objection inserted.
        await using var filing = new NpgsqlConnection(fixture.Database.ConnectionString);
        await filing.OpenAsync();
        await using var transaction = await filing.BeginTransactionAsync();
        await Execute(filing, $"select 1 from notices.notices where id = '{notice.Id}' for share");
        await Execute(filing, $"""
            insert into notices.objections (id, receipt_number, notice_id, item_id, objector_name, contact_phone, organisation, grounds, status,
                resolution_reason, filed_at, version)
            values ('{Guid.CreateVersion7()}', 'YY-20250908-{Random.Shared.Next(1_000_000):D6}', '{notice.Id}', '{notice.Items[0].Id}', '张三',
                '13800138000', '', '该工厂未建成所列场景', 'pending', '', now(), 1)
            """);

        var closing = Close(notice, jingzhou);
        await WaitForALockWait();
        Assert.False(closing.IsCompleted);
        await transaction.CommitAsync();

        var refused = await AssertStatus(StatusCode.FailedPrecondition, () => closing);
        Assert.Contains("1 objection(s) still await a decision", refused.Status.Detail);
        Assert.Equal(NoticeStatus.Published, (await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = notice.Id }, null)).Status);
    }

    [Fact]
    public async Task A_receipt_number_drawn_twice_in_a_day_is_drawn_again()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2024, 11, 4));
        var application = await ApprovedBasic("422800");
        var notice = await Publish(fixture.City("422800"), application);
        var today = new DateOnly(2024, 11, 5);
        fixture.Clock.SetChinaDate(today);
        var first = await Object(notice.Id, notice.Items[0].Id);
        var store = fixture.Notices.Services.GetRequiredService<NoticesStore>();
        var read = (await store.GetNoticeAsync(Guid.Parse(notice.Id), CancellationToken.None))!;
        Domain.Objection Drawing(string receiptNumber) => Domain.Objection.File(read, notice.Items[0].Id, "李四", "13900139000", "", "申报数据不实", [],
            today, Guid.CreateVersion7(), receiptNumber, DateTime.UtcNow);
        var fresh = first.ReceiptNumber == "YY-20241105-000042" ? "YY-20241105-000043" : "YY-20241105-000042";

        var draws = new Queue<string>([first.ReceiptNumber, fresh]);
        var stored = await store.InsertObjectionAsync(Drawing(first.ReceiptNumber), [], null, today, draws.Dequeue, CancellationToken.None);
        Assert.Equal(fresh, stored.ReceiptNumber);
        Assert.Empty(draws);
        Assert.Equal(fresh, (await store.GetObjectionAsync(stored.Id, CancellationToken.None))!.ReceiptNumber);

        // Drawn taken three times more: an error, not a loop.
        var redraws = 0;
        var error = await Assert.ThrowsAsync<PostgresException>(() => store.InsertObjectionAsync(Drawing(fresh), [], null, today, () =>
        {
            redraws++;
            return first.ReceiptNumber;
        }, CancellationToken.None));
        Assert.Equal((PostgresErrorCodes.UniqueViolation, 3), (error.SqlState, redraws));
    }

    [Fact]
    public async Task A_delivery_failing_in_any_way_is_counted_and_retried_and_a_refused_token_is_not_final()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2025, 11, 3));
        var application = await ApprovedBasic("421100");
        var huanggang = fixture.City("421100");
        var notice = await Publish(huanggang, application);
        fixture.Clock.SetChinaDate(new DateOnly(2025, 11, 11));
        await Close(notice, huanggang);

        // A relay whose issuer first answers a discovery document that is not JSON, then grants it the enterprise's token.
        var answer = "not json";
        var enterpriseToken = fixture.Enterprise(applicants[application.Id]);
        await using var issuer = await StubIssuer(authority => answer == "not json"
            ? Results.Text("{\"token_endpoint\": ", "application/json")
            : Results.Json(new Dictionary<string, object> { ["token_endpoint"] = $"{authority}/token" }),
            () => Results.Json(new Dictionary<string, object> { ["access_token"] = enterpriseToken, ["expires_in"] = 300 }));
        await using var relay = fixture.StartOtherNotices(("Auth:Authority", issuer.Authority));
        var jobs = relay.Services.GetRequiredService<NoticeJobs>();

        Assert.Equal(0, await jobs.RelayOnceAsync());
        Assert.Equal((1, false), await Outbox(notice));
        Assert.StartsWith("JsonException", await OutboxError(notice));

        answer = "token";
        await DueAgain(notice);
        Assert.Equal(0, await jobs.RelayOnceAsync());
        Assert.Equal((2, false), await Outbox(notice));
        Assert.StartsWith("PermissionDenied", await OutboxError(notice));
        Assert.Equal("pending", Assert.Single((await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = notice.Id }, huanggang)).Items).Delivery);

        // With the right identity the same command goes through.
        await DueAgain(notice);
        Assert.Equal(1, await fixture.Jobs.RelayOnceAsync());
        Assert.Equal(RecognitionStatus.Active, (await Recognition(application.RecognitionId)).Status);
        Assert.Equal("delivered", Assert.Single((await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = notice.Id }, huanggang)).Items).Delivery);
    }

    [Fact]
    public async Task The_publishing_authority_sees_each_items_delivery_and_a_refusal_and_nobody_else_does()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2024, 9, 2));
        var first = await ApprovedBasic("421200");
        var second = await ApprovedBasic("421200");
        var xianning = fixture.City("421200");
        var notice = await Publish(xianning, first, second);
        fixture.Clock.SetChinaDate(new DateOnly(2024, 9, 10));
        var closed = await Close(notice, xianning);
        Assert.Equal(["pending", "pending"], closed.Items.Select(i => i.Delivery));

        // The second item's command names an application the registry does not know: it refuses it for good.
        await Execute($$"""
            update notices.outbox set payload = jsonb_set(payload, '{applicationId}', '"{{Guid.NewGuid()}}"')
            where payload->>'requestId' = 'notice:{{notice.Id}}:item:{{notice.Items[1].Id}}'
            """);
        Assert.Equal(1, await fixture.Jobs.RelayOnceAsync());

        var seen = await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = notice.Id }, xianning);
        Assert.Equal("delivered", seen.Items[0].Delivery);
        Assert.StartsWith("failed: NotFound", seen.Items[1].Delivery);
        var listed = await fixture.CallNotices<ListNoticesRequest, ListNoticesResponse>("ListNotices", new() { PageSize = 100 }, xianning);
        Assert.Equal(seen.Items.Select(i => i.Delivery), listed.Notices.Single(n => n.Id == notice.Id).Items.Select(i => i.Delivery));
        foreach (var other in new[] { null, fixture.Province, fixture.City("420100") })
        {
            Assert.All((await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = notice.Id }, other)).Items,
                item => Assert.Equal("", item.Delivery));
            Assert.All((await fixture.CallNotices<ListNoticesRequest, ListNoticesResponse>("ListNotices", new() { PageSize = 100 }, other)).Notices
                .Single(n => n.Id == notice.Id).Items, item => Assert.Equal("", item.Delivery));
        }
    }

    // ----- helpers: the registry's real calls up to an approved basic application

    /// <summary>Credit codes of the enterprises the helpers registered, by application id.</summary>
    private readonly Dictionary<string, string> applicants = [];

    private async Task<Application> ApprovedBasic(string region)
    {
        var (approved, code) = await Applications.ApprovedBasicAsync(fixture.RegistryInvoker, fixture.Issuer, region,
            SmartFactory.Kernel.ChinaTime.Today(fixture.Clock));
        applicants[approved.Id] = code;
        return approved;
    }

    private async Task<Notice> Publish(string token, params Application[] applications)
    {
        var draft = await fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice",
            new() { Title = "拟认定名单公示", ApplicationIds = { applications.Select(a => a.Id) } }, token);
        return await fixture.CallNotices<NoticeActionRequest, Notice>("PublishNotice", new() { Id = draft.Id, ExpectedVersion = draft.Version }, token);
    }

    private Task<Notice> Draft(string token, params Application[] applications) =>
        fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice",
            new() { Title = "拟认定名单公示", ApplicationIds = { applications.Select(a => a.Id) } }, token);

    private Task<Notice> Publish(string token, Notice draft) =>
        fixture.CallNotices<NoticeActionRequest, Notice>("PublishNotice", new() { Id = draft.Id, ExpectedVersion = draft.Version }, token);

    private Task<Notice> Close(Notice notice, string token) =>
        fixture.CallNotices<NoticeActionRequest, Notice>("CloseNotice", new() { Id = notice.Id, ExpectedVersion = notice.Version }, token);

    private Task<ObjectionReceipt> Object(string noticeId, string itemId, string name = "张三", string phone = "13800138000", string grounds = "该工厂未建成所列场景",
        EvidenceFile[]? evidence = null, string idempotencyKey = "", string? client = null) =>
        fixture.CallNotices<FileObjectionRequest, ObjectionReceipt>("FileObjection", new()
        {
            NoticeId = noticeId, ItemId = itemId, ObjectorName = name, ContactPhone = phone, Grounds = grounds, Evidence = { evidence ?? [] },
            IdempotencyKey = idempotencyKey,
        }, null, client);

    private Task<Recognition> Recognition(string id) =>
        fixture.CallRegistry<GetRecognitionRequest, Recognition>("GetRecognition", new() { Id = id }, fixture.Ministry);

    private Task<int> Objections() => fixture.Database.ScalarAsync<int>("select count(*) from notices.objections");

    /// <summary>The notice's one outbox row: how often the relay tried it, and whether it was given up.</summary>
    private async Task<(int Attempts, bool Failed)> Outbox(Notice notice) =>
        (await fixture.Database.ScalarAsync<int>($"select attempts from notices.outbox where payload->>'requestId' like 'notice:{notice.Id}:%'"),
            await fixture.Database.ScalarAsync<bool>($"select failed_at is not null from notices.outbox where payload->>'requestId' like 'notice:{notice.Id}:%'"));

    private Task<string?> OutboxError(Notice notice) =>
        fixture.Database.ScalarAsync<string>($"select last_error from notices.outbox where payload->>'requestId' like 'notice:{notice.Id}:%'");

    /// <summary>The notice's commands due now again, as after their backoff.</summary>
    private Task DueAgain(Notice notice) =>
        Execute($"update notices.outbox set next_attempt_at = created_at where payload->>'requestId' like 'notice:{notice.Id}:%'");

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await Execute(connection, sql);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Until some statement in the test's database waits for a lock (10 s at most).</summary>
    private async Task WaitForALockWait()
    {
        for (var i = 0; i < 100; i++)
        {
            if (await fixture.Database.ScalarAsync<long>(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()") > 0)
                return;
            await Task.Delay(100);
        }
        Assert.Fail("nothing waited for the lock");
    }

    /// <summary>A Keycloak stand-in that answers what the test says: the discovery document and the token endpoint.</summary>
    private static async Task<Issuer> StubIssuer(Func<string, IResult> discovery, Func<IResult> token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var issuer = new Issuer(app);
        app.MapGet("/realm/.well-known/openid-configuration", () => discovery(issuer.Authority));
        app.MapPost("/realm/token", token);
        await app.StartAsync();
        return issuer;
    }

    private sealed class Issuer(WebApplication app) : IAsyncDisposable
    {
        public string Authority => $"{app.Urls.First()}/realm";

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }

}
