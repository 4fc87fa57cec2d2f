using SmartFactory.Kernel;
using SmartFactory.Notices.Data;
using SmartFactory.Notices.Domain;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.Notices.Tests;

/// <summary>The notice and objection rules as plain unit tests on business dates.</summary>
public class NoticeRulesTests
{
    private static readonly DateTime Now = new(2026, 4, 1, 2, 0, 0, DateTimeKind.Utc);
    private static readonly CallerScope Wuhan = new("u1", "武汉市经信局", Role.City, "420100", null);
    private static readonly WorkingDayCalendar Calendar = CalendarFiles.Read();

    private static NoticeItem Item(RecognitionLevel level = RecognitionLevel.Basic) =>
        new(Guid.NewGuid(), 0, Guid.NewGuid(), "武汉智造汽车零部件有限公司", "总装智能工厂", "420100", "36", level, null);

    private static Notice Draft(DateOnly today, DateOnly? startsOn = null, params NoticeItem[] items) =>
        Notice.Draft(Wuhan, "2026年武汉市基础级智能工厂拟认定名单公示", items.Length > 0 ? items : [Item()], [], startsOn, 0, 5, Calendar, today, Guid.NewGuid(), Now);

    [Fact]
    public void The_period_starts_on_the_next_working_day_and_runs_five_working_days_across_a_holiday()
    {
        // Thursday 30 April 2026: the next working day is Wednesday 6 May after the Labour Day break (9 May is an adjusted Saturday).
        var notice = Draft(new DateOnly(2026, 4, 30));
        Assert.Equal((new DateOnly(2026, 5, 6), new DateOnly(2026, 5, 11)), (notice.StartsOn, notice.EndsOn));
        Assert.Equal([1], notice.Items.Select(i => i.Position));
    }

    [Fact]
    public void Only_the_recognizer_drafts_one_level_at_a_time()
    {
        Assert.Throws<ForbiddenException>(() => Notice.Draft(Wuhan with { Role = Role.Province, Region = "420000" }, "公示", [Item()], [], null, 0, 5,
            Calendar, new DateOnly(2026, 4, 1), Guid.NewGuid(), Now));
        var mixed = Assert.Throws<ValidationException>(() => Draft(new DateOnly(2026, 4, 1), null, Item(), Item(RecognitionLevel.Advanced)));
        Assert.Equal("a notice lists one level only", Assert.Single(mixed.Violations).Description);
    }

    [Fact]
    public void A_period_beyond_the_calendar_data_is_refused_not_guessed()
    {
        var error = Assert.Throws<RuleViolationException>(() => Draft(new DateOnly(2026, 12, 25)));
        Assert.Contains("no data for 2027", error.Message);
        Assert.Contains("state the period's end date itself (ends_on)", error.Message);
    }

    [Fact]
    public void Objections_are_taken_only_in_the_period_and_closing_waits_for_its_end_and_every_decision()
    {
        var notice = Draft(new DateOnly(2026, 4, 1)).Publish(Wuhan, 1, new DateOnly(2026, 4, 1), Now); // 2-8 April, 4-6 April off (清明)
        Assert.Equal(new DateOnly(2026, 4, 9), notice.EndsOn);
        Assert.True(notice.AcceptsObjectionsOn(new DateOnly(2026, 4, 9)));
        Assert.False(notice.AcceptsObjectionsOn(new DateOnly(2026, 4, 10)));

        var objection = Objection.File(notice, notice.Items[0].Id.ToString(), "李四", "027-87654321", "", "场景数据不实", [],
            new DateOnly(2026, 4, 3), Guid.NewGuid(), "YY-20260403-000001", Now);
        var early = Assert.Throws<RuleViolationException>(() => notice.Close(Wuhan, 2, new HashSet<Guid>(), 1, new DateOnly(2026, 4, 9), Now));
        Assert.Equal(["the publicity period runs until 2026-04-09", "1 objection(s) still await a decision"], early.Rules);

        var upheld = objection.Resolve(notice, Wuhan, 1, upheld: true, "核实不符", Now);
        var closed = notice.Close(Wuhan, 2, new HashSet<Guid> { upheld.ItemId }, 0, new DateOnly(2026, 4, 10), Now);
        Assert.Equal((ItemOutcome.Rejected, "420000"), (closed.Items[0].Outcome, closed.FilingTo));
        Assert.Throws<RuleViolationException>(() => upheld.Resolve(closed, Wuhan, 2, upheld: false, "改判", Now));
    }

    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "application/pdf")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00 }, "image/png")]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }, null)]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38 }, null)]
    public void Evidence_is_typed_by_its_content(byte[] content, string? type) => Assert.Equal(type, Evidence.Sniff(content) is { } sniffed ? Evidence.ContentType(sniffed) : null);

    [Fact]
    public void Control_characters_in_an_objection_are_wrong_fields()
    {
        var notice = Draft(new DateOnly(2026, 4, 1)).Publish(Wuhan, 1, new DateOnly(2026, 4, 1), Now);
        var error = Assert.Throws<ValidationException>(() => Objection.File(notice, notice.Items[0].Id.ToString(), "张\0三", "13800138000",
            "某\u0007公司", "理由", [], new DateOnly(2026, 4, 3), Guid.NewGuid(), "YY-20260403-000002", Now));
        Assert.Equal(["objector_name", "organisation"], error.Violations.Select(v => v.Field));
    }
}
