using SmartFactory.Kernel;

namespace SmartFactory.Notices.Domain;

public enum NoticeStatus { Draft, Published, Closed }

/// <summary>The four levels as the registry numbers them (smartfactory.registry.v1.Level).</summary>
public enum RecognitionLevel { Basic = 1, Advanced = 2, Excellent = 3, Leading = 4 }

/// <summary>An approved application as a notice lists it: public fields only (DOMAIN.md: never finances or contacts).</summary>
public sealed record NoticeItem(Guid Id, int Position, Guid ApplicationId, string EnterpriseName, string FactoryName, string RegionCode,
    string IndustryCode, RecognitionLevel Level, ItemOutcome? Outcome);

/// <summary>What closing the notice decided for an item: it takes effect, or an upheld objection rejected it.</summary>
public enum ItemOutcome { TookEffect, Rejected }

/// <summary>
/// A publicity notice (公示): the recognizing authority's list of approved applications, public for a period of working
/// days before they take effect. The city publicizes basic (003 第十条), the province advanced (003 第十二条), the ministry
/// excellent and leading (004 八).
/// </summary>
/// <param name="EndsOn">The period's last day, stored when drafted and never counted again: a calendar uploaded later
/// does not move a notice already drafted or published.</param>
/// <param name="EndStatedByPublisher">The calendar did not reach the period's end when drafted, so the publishing
/// authority stated <paramref name="EndsOn"/> itself; nothing counts working days in such a period beyond the calendar.</param>
public sealed record Notice(
    Guid Id, string Title, RecognitionLevel Level, Role AuthorityRole, string AuthorityRegion, NoticeStatus Status, DateOnly StartsOn,
    int LengthWorkingDays, DateOnly EndsOn, IReadOnlyList<NoticeItem> Items, DateTime? PublishedAt, DateTime? ClosedAt, long Version, DateTime CreatedAt,
    bool EndStatedByPublisher = false)
{
    public const int MaxTitleLength = 200;

    /// <summary>
    /// How far past the weekday count a stated end may lie: the longest break of a State Council notice is 9 days
    /// (春节 2026), so a month past it is a typo, not a holiday.
    /// </summary>
    public const int MaxStatedEndSlackDays = 30;
    public const int MaxItems = 500;
    public const int MaxLengthWorkingDays = 30;

    public static Role Recognizer(RecognitionLevel level) => level switch
    {
        RecognitionLevel.Basic => Role.City, RecognitionLevel.Advanced => Role.Province, _ => Role.Ministry,
    };

    /// <summary>
    /// Drafts a notice of <paramref name="items"/> (approved applications the caller could read, awaiting publicity).
    /// The period starts on <paramref name="startsOn"/> (default: the next working day) and lasts
    /// <paramref name="lengthWorkingDays"/> working days (default: the platform's setting). Where the calendar does not
    /// reach the period's end, the publisher states it (<paramref name="endsOn"/>): see <see cref="Period"/>.
    /// </summary>
    public static Notice Draft(CallerScope caller, string? title, IReadOnlyList<NoticeItem> items, IReadOnlyList<string> duplicates, DateOnly? startsOn,
        int lengthWorkingDays, int defaultLength, WorkingDayCalendar calendar, DateOnly today, Guid id, DateTime now, DateOnly? endsOn = null)
    {
        var violations = new Violations();
        var text = CheckRequest(violations, title, items.Count, duplicates, lengthWorkingDays, defaultLength);
        var levels = items.Select(i => i.Level).Distinct().ToList();
        if (levels.Count > 1) violations.Add("application_ids", "a notice lists one level only");
        if (startsOn < today) violations.Add("starts_on", "must not be in the past");
        // No calendar can ever be uploaded past its last year, and counting towards DateOnly's end would overflow.
        if (startsOn?.Year > CalendarRules.LastYear) violations.Add("starts_on", $"must be in {CalendarRules.LastYear} at the latest");
        violations.ThrowIfAny();

        var level = levels[0];
        if (caller.Role != Recognizer(level))
            throw new ForbiddenException($"the {Recognizer(level).ToString().ToLowerInvariant()} publicizes {level.ToString().ToLowerInvariant()} recognitions");
        var length = lengthWorkingDays == 0 ? defaultLength : lengthWorkingDays;
        var (start, end, stated) = Period(calendar, startsOn ?? today.AddDays(1), length, endsOn);
        return new Notice(id, text, level, caller.Role, caller.Region, NoticeStatus.Draft, start, length, end,
            [.. items.Select((item, i) => item with { Position = i + 1 })], null, null, 1, now, stated);
    }

    /// <summary>
    /// The checks a draft request passes before anything is read from the registry: its title, how many distinct
    /// applications it names (at most <see cref="MaxItems"/>), none twice, and the period's length. Answers the title.
    /// </summary>
    public static string CheckRequest(Violations violations, string? title, int applications, IReadOnlyList<string> duplicates, int lengthWorkingDays,
        int defaultLength)
    {
        var text = violations.Required("title", title, MaxTitleLength);
        if (applications == 0 && duplicates.Count == 0) violations.Add("application_ids", "name at least one approved application");
        if (applications > MaxItems) violations.Add("application_ids", $"at most {MaxItems} applications in one notice");
        if (duplicates.Count > 0) violations.Add("application_ids", $"listed twice: {string.Join(", ", duplicates)}");
        if (lengthWorkingDays is < 0 or > MaxLengthWorkingDays) violations.Add("length_working_days", $"must be between 1 and {MaxLengthWorkingDays} (default {defaultLength})");
        return text;
    }

    public bool IsAuthority(CallerScope caller) => caller.Role == AuthorityRole && caller.Region == AuthorityRegion;

    /// <summary>Publishing makes the notice public; its period must not already have begun.</summary>
    public Notice Publish(CallerScope caller, long expectedVersion, DateOnly today, DateTime now)
    {
        EnsureAuthority(caller, expectedVersion);
        if (Status != NoticeStatus.Draft) throw new RuleViolationException([$"the notice is {Status.ToString().ToLowerInvariant()} already"]);
        if (StartsOn < today)
            throw new RuleViolationException([$"the period was to start on {StartsOn:yyyy-MM-dd}, before today; draft the notice again with a new start"]);
        return this with { Status = NoticeStatus.Published, PublishedAt = now, Version = Version + 1 };
    }

    public bool AcceptsObjectionsOn(DateOnly day) => Status == NoticeStatus.Published && day >= StartsOn && day <= EndsOn;

    /// <summary>
    /// Closes the notice after its period: items without an upheld objection take effect, items with one are rejected.
    /// Every objection must have been resolved first.
    /// </summary>
    public Notice Close(CallerScope caller, long? expectedVersion, IReadOnlySet<Guid> upheldItems, int pendingObjections, DateOnly today, DateTime now)
    {
        if (expectedVersion is { } version) EnsureAuthority(caller, version);
        if (Status != NoticeStatus.Published) throw new RuleViolationException([$"only a published notice closes; this one is {Status.ToString().ToLowerInvariant()}"]);
        var refusals = new List<string>();
        if (today <= EndsOn) refusals.Add($"the publicity period runs until {EndsOn:yyyy-MM-dd}");
        if (pendingObjections > 0) refusals.Add($"{pendingObjections} objection(s) still await a decision");
        if (refusals.Count > 0) throw new RuleViolationException(refusals);
        return this with
        {
            Status = NoticeStatus.Closed, ClosedAt = now, Version = Version + 1,
            Items = [.. Items.Select(i => i with { Outcome = upheldItems.Contains(i.Id) ? ItemOutcome.Rejected : ItemOutcome.TookEffect })],
        };
    }

    /// <summary>Basic results are filed with the province, advanced with the ministry; the ministry's own need no filing.</summary>
    public string? FilingTo => Level switch
    {
        RecognitionLevel.Basic => AuthorityRegion[..2] + "0000",
        RecognitionLevel.Advanced => "000000",
        _ => null,
    };

    /// <summary>
    /// The period on the calendar. Where the calendar reaches its end, the end is counted, and a stated end must be that
    /// same day (a second opinion on a counted date can only be a mistake). Where it does not (a year no State Council
    /// notice has been uploaded for), the end must be stated: after the start, no earlier than the end counted on the
    /// calendar where it has data and Monday to Friday beyond it (a lower bound: holidays only lengthen a period), and
    /// at most <see cref="MaxStatedEndSlackDays"/> days after that bound.
    /// </summary>
    public static (DateOnly Start, DateOnly End, bool Stated) Period(WorkingDayCalendar calendar, DateOnly start, int length, DateOnly? endsOn)
    {
        var (first, bound) = calendar.WeekdayBound(start, length);
        int missing;
        try
        {
            var counted = calendar.AddWorkingDays(first, length);
            if (endsOn is { } stated && stated != counted)
                throw new ValidationException([new FieldViolation("ends_on",
                    $"the working-day calendar reaches this period's end, {counted:yyyy-MM-dd}: leave ends_on empty or state that day "
                    + "(an end is stated only where the calendar does not reach)")]);
            return (first, counted, false);
        }
        catch (CalendarOutOfRangeException e)
        {
            missing = e.Year;
        }

        if (endsOn is not { } end) throw new RuleViolationException([new CalendarOutOfRangeException(missing, calendar.Years).Message]);
        if (end < first)
            throw new ValidationException([new FieldViolation("ends_on", $"must be after the period's start, {first:yyyy-MM-dd}")]);
        if (end < bound)
            throw new ValidationException([new FieldViolation("ends_on",
                $"must be no earlier than {bound:yyyy-MM-dd}: {length} working days from {first:yyyy-MM-dd} counted Monday to Friday where the "
                + "calendar has no data, and holidays only lengthen a period")]);
        if (end > bound.AddDays(MaxStatedEndSlackDays))
            throw new ValidationException([new FieldViolation("ends_on",
                $"must be at most {MaxStatedEndSlackDays} days after {bound:yyyy-MM-dd} (the end counted Monday to Friday): no holiday break is that long")]);
        return (first, end, true);
    }

    private void EnsureAuthority(CallerScope caller, long expectedVersion)
    {
        if (!IsAuthority(caller)) throw new NotFoundException($"notice {Id} not found");
        if (expectedVersion != Version) throw new ConcurrencyException($"notice {Id} changed since version {expectedVersion} (now {Version}); read it again");
    }
}
