using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

public enum SpotCheckSelection { Chosen, Drawn }

public enum SpotCheckStatus { Scheduled, Passed, Rectifying, Rectified, Removed }

public enum SpotCheckOutcome { Passed, Rectification, Removal }

/// <summary>A live recognition a round may check, with the city it belongs to (the draw is per city).</summary>
public sealed record SpotCheckCandidate(Guid RecognitionId, Guid FactoryId, Level Level, string CityCode);

/// <summary>
/// A spot-check round (抽查): the province checks basic and advanced factories (003 第十条, 第十二条; 第五条 监督检查),
/// the ministry excellent and leading ones on site (现场抽查, 004 三、八) — whoever recognizes a level manages it
/// (谁认定、谁管理, 004 四). Its targets are chosen by recognition, or drawn per city with a recorded seed.
/// </summary>
public sealed record SpotCheckRound(
    Guid Id, string Name, Role AuthorityRole, IReadOnlyList<Level> Levels, SpotCheckSelection Selection, int? PerCity, long? Seed,
    int? CandidateCount, string CreatedBy, DateTime CreatedAt)
{
    public const int MaxNameLength = 200;
    public const int MaxPerCity = 100;
    public const int MaxChosen = 500;

    /// <summary>The province's rounds check basic and advanced, the ministry's excellent and leading; nobody else schedules them.</summary>
    public static Role? AuthorityFor(Level level) => level <= Level.Advanced ? Role.Province : Role.Ministry;

    /// <summary>
    /// Reads a new round's request: a name, the levels (all of the caller's to check), and either chosen recognitions
    /// or a draw of 1-100 per city — not both. Every wrong field at once.
    /// </summary>
    public static (string Name, IReadOnlyList<Level> Levels, IReadOnlyList<Guid> Chosen, int? PerCity) Read(CallerScope caller, string? name,
        IReadOnlyList<Level?> levels, IReadOnlyList<string> recognitionIds, int? perCity)
    {
        if (caller.Role is not (Role.Province or Role.Ministry))
            throw new ForbiddenException("the province schedules spot checks of basic and advanced factories, the ministry of excellent and leading ones");
        var violations = new Violations();
        var text = violations.Required("name", name, MaxNameLength);
        var known = new List<Level>();
        for (var i = 0; i < levels.Count; i++)
        {
            if (levels[i] is not { } level) violations.Add($"levels[{i}]", "must be basic, advanced, excellent or leading");
            else if (AuthorityFor(level) != caller.Role)
                violations.Add($"levels[{i}]", caller.Role == Role.Province
                    ? $"the province checks basic and advanced factories (003 第十条, 第十二条); {level.Chinese()} is the ministry's (004 三、八)"
                    : $"the ministry checks excellent and leading factories on site (004 三、八); {level.Chinese()} is the province's (003 第十条, 第十二条)");
            else if (!known.Contains(level)) known.Add(level);
        }
        if (levels.Count == 0) violations.Add("levels", "name at least one level to check");
        var chosen = new List<Guid>();
        for (var i = 0; i < recognitionIds.Count; i++)
        {
            if (!Guid.TryParse(recognitionIds[i], out var id)) violations.Add($"recognition_ids[{i}]", "must be a UUID");
            else if (chosen.Contains(id)) violations.Add($"recognition_ids[{i}]", "is chosen twice");
            else chosen.Add(id);
        }
        if (recognitionIds.Count > MaxChosen) violations.Add("recognition_ids", $"at most {MaxChosen} per round");
        if (recognitionIds.Count > 0 && perCity is not null) violations.Add("draw", "choose the recognitions or draw them, not both");
        else if (recognitionIds.Count == 0 && perCity is null) violations.Add("recognition_ids", "choose recognitions, or give a draw");
        if (perCity is < 1 or > MaxPerCity) violations.Add("draw.per_city", $"must be between 1 and {MaxPerCity}");
        violations.ThrowIfAny();
        return (text, known, chosen, perCity);
    }

    /// <summary>
    /// Chosen targets: each must be a live recognition of the round's levels in the caller's scope
    /// (<paramref name="found"/>, read in that scope). Every wrong one named at once.
    /// </summary>
    public static void CheckChosen(IReadOnlyList<Guid> chosen, IReadOnlyList<Level> levels, IReadOnlyDictionary<Guid, Recognition> found)
    {
        var violations = new Violations();
        for (var i = 0; i < chosen.Count; i++)
        {
            if (!found.TryGetValue(chosen[i], out var recognition)) violations.Add($"recognition_ids[{i}]", $"no recognition {chosen[i]} in your scope");
            else if (!recognition.IsLive) violations.Add($"recognition_ids[{i}]", $"has ended ({recognition.Status.ToString().ToLowerInvariant()}); only live recognitions are checked");
            else if (!levels.Contains(recognition.Level)) violations.Add($"recognition_ids[{i}]", $"is {recognition.Level.Chinese()}, not a level of this round");
        }
        violations.ThrowIfAny();
    }
}

/// <summary>
/// The random draw of a round (随机抽取), reproducible: the candidates are put in a fixed order (by city, then by
/// recognition id), and each city's are shuffled by a generator seeded from the round's seed and the city's code. The
/// generator is SplitMix64, written out here rather than <see cref="Random"/>, whose seeded sequence .NET does not
/// promise to keep across versions: the same seed over the same candidates draws the same targets, on any runtime.
/// </summary>
public static class SpotCheckDraw
{
    public static IReadOnlyList<SpotCheckCandidate> Draw(IEnumerable<SpotCheckCandidate> candidates, int perCity, long seed)
    {
        var drawn = new List<SpotCheckCandidate>();
        foreach (var city in candidates.GroupBy(c => c.CityCode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var pool = city.OrderBy(c => c.RecognitionId.ToString(), StringComparer.Ordinal).ToArray();
            var state = unchecked((ulong)seed ^ Fnv1a(city.Key));
            // A partial Fisher-Yates shuffle: the first perCity places are the draw.
            var take = Math.Min(perCity, pool.Length);
            for (var i = 0; i < take; i++)
            {
                var j = i + (int)(Next(ref state) % (ulong)(pool.Length - i));
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }
            drawn.AddRange(pool.Take(take));
        }
        return drawn;
    }

    /// <summary>A seed for a round that gives none, recorded with the round.</summary>
    public static long NewSeed() => System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue) * 1_000_003L
        + System.Security.Cryptography.RandomNumberGenerator.GetInt32(1_000_003);

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }
}

/// <summary>
/// One factory's check in a round: scheduled, then the inspection's findings and outcome — passed; rectification (整改)
/// by a deadline after the inspection, then a follow-up that passes or removes; or removal from the library (移出,
/// 003 第二十条), which ends the recognition through <see cref="Recognition.Remove"/> with its 3-year ban.
/// </summary>
public sealed record SpotCheck(
    Guid Id, Guid RoundId, Guid RecognitionId, Guid FactoryId, Level Level, SpotCheckStatus Status, string Findings, DateOnly? InspectedOn,
    DateOnly? RectificationDueOn, string FollowUpFindings, DateOnly? FollowedUpOn, RemovalCause? RemovalCause, long Version, DateTime UpdatedAt)
{
    // Short enough that a removal's description (the findings, with the check named) stays within Recognition.MaxReasonLength.
    public const int MaxFindingsLength = 1500;

    public static SpotCheck Schedule(Guid roundId, Recognition recognition, Guid id, DateTime now) =>
        new(id, roundId, recognition.Id, recognition.FactoryId, recognition.Level, SpotCheckStatus.Scheduled, "", null, null, "", null, null, 1, now);

    /// <summary>The inspection: findings (required), its date (not in the future) and the outcome.</summary>
    public SpotCheck RecordOutcome(CallerScope caller, long expectedVersion, string? findings, string? inspectedOn, SpotCheckOutcome? outcome,
        string? rectificationDueOn, RemovalCause? cause, DateOnly today, DateTime now)
    {
        EnsureAuthority(caller);
        CheckVersion(expectedVersion);
        if (Status != SpotCheckStatus.Scheduled)
            throw new RuleViolationException([$"this spot check's outcome is recorded already ({SnakeCase.Name(Status)})"]);
        var violations = new Violations();
        var text = violations.Required("findings", findings, MaxFindingsLength);
        var on = violations.Date("inspected_on", inspectedOn, required: true);
        if (on > today) violations.Add("inspected_on", "must not be in the future");
        if (outcome is null) violations.Add("outcome", "is required: passed, rectification or removal");
        var due = violations.Date("rectification_due_on", rectificationDueOn, required: outcome == SpotCheckOutcome.Rectification);
        if (outcome == SpotCheckOutcome.Rectification && due is { } deadline && on is { } inspected && deadline <= inspected)
            violations.Add("rectification_due_on", $"must be after the inspection on {inspected.Iso()}");
        if (outcome is not SpotCheckOutcome.Rectification && due is not null) violations.Add("rectification_due_on", "only a rectification has a deadline");
        CheckCause(violations, outcome, cause);
        violations.ThrowIfAny();
        return this with
        {
            Status = outcome switch
            {
                SpotCheckOutcome.Passed => SpotCheckStatus.Passed,
                SpotCheckOutcome.Rectification => SpotCheckStatus.Rectifying,
                _ => SpotCheckStatus.Removed,
            },
            Findings = text, InspectedOn = on, RectificationDueOn = due, RemovalCause = outcome == SpotCheckOutcome.Removal ? cause : null,
            Version = Version + 1, UpdatedAt = now,
        };
    }

    /// <summary>After a rectification: the follow-up's findings, date (from the inspection to today) and result, passed or removal.</summary>
    public SpotCheck RecordFollowUp(CallerScope caller, long expectedVersion, string? findings, string? followedUpOn, SpotCheckOutcome? outcome,
        RemovalCause? cause, DateOnly today, DateTime now)
    {
        EnsureAuthority(caller);
        CheckVersion(expectedVersion);
        if (Status != SpotCheckStatus.Rectifying)
            throw new RuleViolationException([$"only a spot check awaiting rectification is followed up; this one is {SnakeCase.Name(Status)}"]);
        var violations = new Violations();
        var text = violations.Required("findings", findings, MaxFindingsLength);
        var on = violations.Date("followed_up_on", followedUpOn, required: true);
        if (on > today) violations.Add("followed_up_on", "must not be in the future");
        if (on < InspectedOn) violations.Add("followed_up_on", $"must not be before the inspection on {InspectedOn.Iso()}");
        if (outcome is not (SpotCheckOutcome.Passed or SpotCheckOutcome.Removal)) violations.Add("outcome", "is required: passed or removal");
        CheckCause(violations, outcome, cause);
        violations.ThrowIfAny();
        return this with
        {
            Status = outcome == SpotCheckOutcome.Passed ? SpotCheckStatus.Rectified : SpotCheckStatus.Removed,
            FollowUpFindings = text, FollowedUpOn = on, RemovalCause = outcome == SpotCheckOutcome.Removal ? cause : null,
            Version = Version + 1, UpdatedAt = now,
        };
    }

    /// <summary>The follow-up due, for the officials' list of clocks.</summary>
    public Clock? NextClock() => Status == SpotCheckStatus.Rectifying ? new Clock(RectificationDueKind, RectificationDueOn!.Value) : null;

    public const string RectificationDueKind = "spot_check_rectification_due";

    private static void CheckCause(Violations violations, SpotCheckOutcome? outcome, RemovalCause? cause)
    {
        if (outcome == SpotCheckOutcome.Removal && cause is null) violations.Add("removal_cause", "is required with a removal (003 第二十条)");
        if (outcome != SpotCheckOutcome.Removal && cause is not null) violations.Add("removal_cause", "only a removal has a cause");
    }

    private void EnsureAuthority(CallerScope caller)
    {
        if (caller.Role != SpotCheckRound.AuthorityFor(Level))
            throw new ForbiddenException(Level <= Level.Advanced
                ? "the province records the spot checks of basic and advanced factories (003 第十条, 第十二条)"
                : "the ministry records the on-site checks of excellent and leading factories (004 三、八)");
    }

    private void CheckVersion(long expectedVersion)
    {
        if (expectedVersion != Version)
            throw new ConcurrencyException($"spot check {Id} changed since version {expectedVersion} (now {Version}); read it again");
    }
}
