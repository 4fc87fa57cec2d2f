using Grpc.Core;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;
using static SmartFactory.TestSupport.GrpcTesting;
using Notice = SmartFactory.Contracts.Notices.V1.Notice;

namespace SmartFactory.Notices.Tests;

/// <summary>A round is complete, publicity included, by its deadline (003 第十条): a notice may not outlast it unless the province extends it.</summary>
public class RoundDeadlineTests(NoticesFixture fixture) : IClassFixture<NoticesFixture>
{
    [Fact]
    public async Task A_notice_ending_after_31_March_is_refused_until_the_province_extends_the_round_003_第十条()
    {
        // Thursday 26 March 2026: five working days from Friday 27 March end on Thursday 2 April, after the 2026 basic deadline.
        fixture.Clock.SetChinaDate(new DateOnly(2026, 3, 26));
        var (application, _) = await Applications.ApprovedBasicAsync(fixture.RegistryInvoker, fixture.Issuer, "429005", new DateOnly(2026, 3, 26));
        Assert.Equal("2026-03-31", application.CompleteBy);
        var city = fixture.City("429005");
        CreateNoticeRequest Draft() => new() { Title = "2026年潜江市基础级智能工厂拟认定名单公示", ApplicationIds = { application.Id } };

        var late = await AssertStatus(StatusCode.FailedPrecondition, () => fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice", Draft(), city));
        Assert.Contains("its round is to be complete, publicity included, by 2026-03-31, and this notice would end on 2026-04-02", late.Status.Detail);

        var round = (await fixture.CallRegistry<ListCampaignsRequest, ListCampaignsResponse>("ListCampaigns", new() { Year = 2026 }, city))
            .Campaigns.Single(c => c.Level == Level.Basic && c.RegionCode == "429005");
        Assert.Equal(5, round.DaysLeft);
        await AssertStatus(StatusCode.PermissionDenied, () => fixture.CallRegistry<ExtendCampaignRequest, Campaign>("ExtendCampaign",
            new() { Id = round.Id, ExpectedVersion = round.Version, CompleteBy = "2026-04-15", Reason = "清明节前材料补正" }, city));
        var extended = await fixture.CallRegistry<ExtendCampaignRequest, Campaign>("ExtendCampaign",
            new() { Id = round.Id, ExpectedVersion = round.Version, CompleteBy = "2026-04-15", Reason = "清明节前材料补正" }, fixture.Province);
        Assert.Equal(("2026-03-31", "2026-04-15", "清明节前材料补正"), (extended.DecisionDueOn, extended.CompleteBy, extended.ExtensionReason));

        var draft = await fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice", Draft(), city);
        Assert.Equal("2026-04-02", draft.EndsOn);
        Assert.Equal(1, await fixture.Database.ScalarAsync<int>(
            $"select count(*) from registry.audit_log where action = 'campaign.extended' and entity_id = '{round.Id}'"));
    }
}
