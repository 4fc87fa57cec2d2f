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
/// days before they take effect. The city publicizes basic, the province advanced, the ministry excellent and leading.
/// </summary>
public sealed record Notice(
    Guid Id, string Title, RecognitionLevel Level, Role AuthorityRole, string AuthorityRegion, NoticeStatus Status, DateOnly StartsOn,
    int LengthWorkingDays, DateOnly EndsOn, IReadOnlyList<NoticeItem> Items, DateTime? PublishedAt, DateTime? ClosedAt, long Version, DateTime CreatedAt)
{
    public const int MaxTitleLength = 200;
    public const int MaxItems = 500;
    public const int MaxLengthWorkingDays = 30;

    public static Role Recognizer(RecognitionLevel level) => level switch
    {
        RecognitionLevel.Basic => Role.City, RecognitionLevel.Advanced => Role.Province, _ => Role.Ministry,
    };

    /// <summary>
    /// Drafts a notice of <paramref name="items"/> (approved applications the caller could read, awaiting publicity).
    /// The period starts on <paramref name="startsOn"/> (default: the next working day) and lasts
    /// <paramref name="lengthWorkingDays"/> working days (default: the platform's setting).
    /// </summary>
    public static Notice Draft(CallerScope caller, string? title, IReadOnlyList<NoticeItem> items, IReadOnlyList<string> duplicates, DateOnly? startsOn,
        int lengthWorkingDays, int defaultLength, WorkingDayCalendar calendar, DateOnly today, Guid id, DateTime now)
    {
        var violations = new Violations();
        var text = CheckRequest(violations, title, items.Count, duplicates, lengthWorkingDays, defaultLength);
        var levels = items.Select(i => i.Level).Distinct().ToList();
        if (levels.Count > 1) violations.Add("application_ids", "a notice lists one level only");
        if (startsOn < today) violations.Add("starts_on", "must not be in the past");
        violations.ThrowIfAny();

        var level = levels[0];
        if (caller.Role != Recognizer(level))
            throw new ForbiddenException($"the {Recognizer(level).ToString().ToLowerInvariant()} publicizes {level.ToString().ToLowerInvariant()} recognitions");
        var length = lengthWorkingDays == 0 ? defaultLength : lengthWorkingDays;
        var (start, end) = Period(calendar, startsOn ?? today.AddDays(1), length);
        return new Notice(id, text, level, caller.Role, caller.Region, NoticeStatus.Draft, start, length, end,
            [.. items.Select((item, i) => item with { Position = i + 1 })], null, null, 1, now);
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

    private static (DateOnly Start, DateOnly End) Period(WorkingDayCalendar calendar, DateOnly start, int length)
    {
        try
        {
            var first = calendar.NextWorkingDay(start);
            return (first, calendar.AddWorkingDays(first, length));
        }
        catch (CalendarOutOfRangeException e)
        {
            throw new RuleViolationException([e.Message]);
        }
    }

    private void EnsureAuthority(CallerScope caller, long expectedVersion)
    {
        if (!IsAuthority(caller)) throw new NotFoundException($"notice {Id} not found");
        if (expectedVersion != Version) throw new ConcurrencyException($"notice {Id} changed since version {expectedVersion} (now {Version}); read it again");
    }
}
