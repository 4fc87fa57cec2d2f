using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

public enum RecognitionStatus { PendingPublicity, Cultivating, Active, Expired, Cancelled, Revoked, Removed, Superseded }

/// <summary>Where a re-examination (复核) stands; a pass extends validity and starts the clock again from None, a failure cancels.</summary>
public enum RenewalStep { None, Applied }

/// <summary>Where a leading factory's acceptance (验收) stands: applied, the province's preliminary check, the ministry's review.</summary>
public enum AcceptanceStep { None, Applied, PreliminaryPassed, PreliminaryFailed, Passed, Failed }

/// <summary>Why a factory is removed from the library (003 第二十条); the list is open (等): Other names the violation in its description.</summary>
public enum RemovalCause { SafetyIncident, QualityIncident, EnvironmentalIncident, SeriousDishonesty, TaxEvasion, DataFraud, Other }

/// <summary>A step in a recognition's life, kept forever: what happened, on which business date, why, by whom.</summary>
public sealed record RecognitionEvent(string Kind, DateOnly On, string Reason, string ActorRole, DateTime At);

/// <summary>A deadline about to pass.</summary>
public sealed record Clock(string Kind, DateOnly DueOn);

/// <summary>
/// A factory's recognition at a level. Pending publicity until it takes effect, then active for 3 years. Excellent and
/// leading renew by re-examination (复核) applied for no later than 3 months before expiry; without it they are
/// cancelled at expiry, failing it cancels them when the failure is recorded; basic and advanced simply expire. Excellent
/// and leading start from MIIT's decision; a leading selection first cultivates for the period it sets (at most 2 years),
/// with its acceptance application due 3 months before the end. A higher recognition supersedes a lower one;
/// removal (with a 3-year ban) and revocation end it early. Renewal and Acceptance hold the step of those procedures.
/// </summary>
public sealed record Recognition(
    Guid Id, Guid FactoryId, Guid EnterpriseId, Level Level, int Year, Guid ApplicationId, RecognitionStatus Status,
    DateOnly? EffectiveOn, DateOnly? ExpiresOn, DateOnly? CultivationEndsOn, RenewalStep Renewal, AcceptanceStep Acceptance,
    DateOnly? EndedOn, string? EndReason, DateOnly? BanUntil, IReadOnlyList<RecognitionEvent> History, long Version,
    string? NationalDecision = null, DateOnly? PlaqueAwardedOn = null)
{
    public const int MaxReasonLength = 2000;
    public const string ObjectionUpheld = "objection upheld during publicity (公示异议成立)";

    public bool IsLive => Status is RecognitionStatus.PendingPublicity or RecognitionStatus.Cultivating or RecognitionStatus.Active;

    /// <summary>A basic or advanced application approved by its recognizer: pending the recognizer's publicity (公示).</summary>
    public static Recognition FromApproval(Application application, int year, CallerScope caller, DateOnly today, Guid id, DateTime now) =>
        new(id, application.FactoryId, application.EnterpriseId, application.Level, year, application.Id,
            RecognitionStatus.PendingPublicity, null, null, null, RenewalStep.None, AcceptanceStep.None, null, null, null,
            [Event("approved", today, "awaiting publicity (公示)", caller, now)], 1);

    /// <summary>
    /// An application named in MIIT's decision: excellent takes effect from the decision's date for 3 years; leading
    /// enters the cultivation period the decision sets (004 六). No publicity here: MIIT publicized on its own platform.
    /// </summary>
    public static Recognition FromNationalDecision(Application application, NationalDecision decision, int year, CallerScope caller, Guid id, DateTime now)
    {
        var on = decision.DecidedOn;
        var reference = $"{decision.ListName} ({decision.DocumentNumber})";
        return application.Level == Level.Leading
            ? new Recognition(id, application.FactoryId, application.EnterpriseId, Level.Leading, year, application.Id, RecognitionStatus.Cultivating,
                null, null, decision.CultivationEndsOn, RenewalStep.None, AcceptanceStep.None, null, null, null,
                [Event("selected", on, $"selected for cultivation until {decision.CultivationEndsOn.Iso()}: {reference}", caller, now)], 1, decision.DocumentNumber)
            : new Recognition(id, application.FactoryId, application.EnterpriseId, application.Level, year, application.Id, RecognitionStatus.Active,
                on, on.AddYears(LevelRules.ValidityYears), null, RenewalStep.None, AcceptanceStep.None, null, null, null,
                [Event("took_effect", on, $"valid until {on.AddYears(LevelRules.ValidityYears).Iso()}: {reference}", caller, now)], 1, decision.DocumentNumber);
    }

    /// <summary>
    /// After publicity the recognition takes effect for 3 years; the factory's lower one is superseded. The recognizing
    /// authority, or the notices service delivering the result of a closed notice.
    /// </summary>
    /// <param name="bannedUntil">The end of the enterprise's ban after a removal, if one runs: 003 第二十条, 三年内不得再次申报,
    /// and what may not be applied for may not take effect either.</param>
    /// <param name="held">The factory's live recognition, if any: a lower one is superseded, a higher one is kept and this
    /// one refused: the library holds a factory at one level (分级入库, 003 第六条), and it only climbs.</param>
    public Recognition TakeEffect(CallerScope caller, DateOnly on, DateOnly today, DateTime now, DateOnly? bannedUntil = null, Recognition? held = null)
    {
        EnsurePublicityResult(caller, "makes a recognition take effect");
        if (Status != RecognitionStatus.PendingPublicity)
            throw new RuleViolationException([$"only a recognition pending publicity takes effect; this one is {Describe(Status)}"]);
        var approvedOn = History[^1].On;
        if (on < approvedOn || on > today)
            throw new ValidationException([new FieldViolation("effective_on",
                $"must be between the approval on {approvedOn.Iso()} and today ({today.Iso()})")]);
        if (bannedUntil is { } ban && ban > today)
            throw new RuleViolationException([$"the enterprise was removed from the library; nothing of it takes effect until {ban.Iso()}"]);
        if (held is not null && held.Level > Level)
            throw new RuleViolationException([$"the factory holds {LevelRules.Chinese(held.Level)}, above {LevelRules.Chinese(Level)}"]);
        return this with
        {
            Status = RecognitionStatus.Active, EffectiveOn = on, ExpiresOn = on.AddYears(LevelRules.ValidityYears),
            History = [.. History, Event("took_effect", on, $"valid until {on.AddYears(LevelRules.ValidityYears).Iso()}", caller, now)],
            Version = Version + 1,
        };
    }

    /// <summary>
    /// An objection upheld during publicity (公示异议成立): the recognition never takes effect. The recognizing authority,
    /// or the notices service delivering the result of a closed notice. The application is rejected with it
    /// (<see cref="Application.RejectAfterPublicity"/>).
    /// </summary>
    public Recognition WithdrawAfterPublicity(CallerScope caller, string? reason, DateOnly today, DateTime now)
    {
        EnsurePublicityResult(caller, "withdraws a recognition after publicity");
        var text = Reason(reason, required: true, field: "reason");
        if (Status != RecognitionStatus.PendingPublicity)
            throw new RuleViolationException([$"only a recognition pending publicity is withdrawn after publicity; this one is {Describe(Status)}"]);
        return End(RecognitionStatus.Cancelled, today, $"{ObjectionUpheld}: {text}", null, caller, now);
    }

    public Recognition SupersededBy(Recognition higher, CallerScope caller, DateOnly on, DateTime now) =>
        End(RecognitionStatus.Superseded, on, $"superseded by the {higher.Level.Chinese()} recognition {higher.Id}", null, caller, now);

    /// <summary>Re-examination may be applied for at any time until 3 months before expiry (004 五、九; the seeds set no earliest date).</summary>
    public Recognition ApplyForRenewal(CallerScope caller, long expectedVersion, DateOnly today, DateTime now)
    {
        if (caller.Role != Role.Enterprise) throw new ForbiddenException("the recognized enterprise applies for re-examination");
        CheckVersion(expectedVersion);
        if (!Level.RenewsByReexamination())
            throw new RuleViolationException([$"{Level.Chinese()} recognitions are not re-examined; they expire and are applied for again"]);
        if (Status != RecognitionStatus.Active) throw new RuleViolationException([$"only an active recognition is re-examined; this one is {Describe(Status)}"]);
        if (Renewal == RenewalStep.Applied) throw new RuleViolationException(["re-examination has already been applied for"]);
        var due = ExpiresOn!.Value.AddMonths(-LevelRules.RenewalLeadMonths);
        if (today > due)
            throw new RuleViolationException([$"re-examination had to be applied for by {due.Iso()}, 3 months before expiry on {ExpiresOn.Iso()}"]);
        return Step(renewal: RenewalStep.Applied, kind: "renewal_applied", on: today, reason: "", caller: caller, now: now);
    }

    /// <summary>
    /// The ministry's re-examination result: passing extends validity by 3 years; failing cancels the recognition when
    /// the failure is recorded (复核未通过的，直接取消认定, 004 九).
    /// </summary>
    public Recognition DecideRenewal(CallerScope caller, long expectedVersion, bool passed, string? comments, DateOnly today, DateTime now)
    {
        if (caller.Role != Role.Ministry) throw new ForbiddenException("the ministry decides re-examinations (谁认定、谁管理, 004 四)");
        CheckVersion(expectedVersion);
        EnsureStatus(RecognitionStatus.Active, "re-examined");
        if (Renewal != RenewalStep.Applied) throw new RuleViolationException(["no re-examination is awaiting a decision"]);
        var reason = Reason(comments, required: !passed);
        if (!passed) return End(RecognitionStatus.Cancelled, today, $"re-examination failed (复核未通过): {reason}", null, caller, now) with { Renewal = RenewalStep.None };
        var extended = ExpiresOn!.Value.AddYears(LevelRules.ValidityYears);
        return this with
        {
            ExpiresOn = extended, Renewal = RenewalStep.None,
            History = [.. History, Event("renewed", today, $"re-examination passed: valid until {extended.Iso()}. {reason}".Trim(), caller, now)],
            Version = Version + 1,
        };
    }

    public Recognition ApplyForAcceptance(CallerScope caller, long expectedVersion, DateOnly today, DateTime now)
    {
        if (caller.Role != Role.Enterprise) throw new ForbiddenException("the cultivated enterprise applies for acceptance");
        CheckVersion(expectedVersion);
        if (Status != RecognitionStatus.Cultivating) throw new RuleViolationException([$"only a leading factory in cultivation applies for acceptance; this one is {Describe(Status)}"]);
        if (Acceptance is AcceptanceStep.Applied or AcceptanceStep.PreliminaryPassed) throw new RuleViolationException(["acceptance has already been applied for"]);
        var due = CultivationEndsOn!.Value.AddMonths(-LevelRules.AcceptanceLeadMonths);
        if (today > due)
            throw new RuleViolationException([$"acceptance had to be applied for by {due.Iso()}, 3 months before the cultivation period ends on {CultivationEndsOn.Iso()}"]);
        return Step(acceptance: AcceptanceStep.Applied, kind: "acceptance_applied", on: today, reason: "", caller: caller, now: now);
    }

    /// <summary>The province's preliminary check (初验) of an acceptance application, before the ministry's review.</summary>
    public Recognition RecordPreliminaryCheck(CallerScope caller, long expectedVersion, bool passed, string? comments, DateOnly today, DateTime now)
    {
        if (caller.Role != Role.Province) throw new ForbiddenException("the province does the preliminary check");
        CheckVersion(expectedVersion);
        EnsureStatus(RecognitionStatus.Cultivating, "checked for acceptance");
        if (Acceptance != AcceptanceStep.Applied) throw new RuleViolationException(["no acceptance application is awaiting the preliminary check"]);
        return Step(acceptance: passed ? AcceptanceStep.PreliminaryPassed : AcceptanceStep.PreliminaryFailed, kind: passed ? "preliminary_passed" : "preliminary_failed",
            on: today, reason: Reason(comments, required: !passed), caller: caller, now: now);
    }

    /// <summary>
    /// The ministry's acceptance result (004 八: MIIT reviews, checks on site, publicizes and publishes the list): passing
    /// makes the leading factory recognized from today for 3 years, with no publicity here; failing ends the cultivation.
    /// </summary>
    public Recognition DecideAcceptance(CallerScope caller, long expectedVersion, bool passed, string? comments, DateOnly today, DateTime now)
    {
        if (caller.Role != Role.Ministry) throw new ForbiddenException("the ministry decides acceptance (谁认定、谁管理, 004 四)");
        CheckVersion(expectedVersion);
        EnsureStatus(RecognitionStatus.Cultivating, "accepted");
        if (Acceptance != AcceptanceStep.PreliminaryPassed) throw new RuleViolationException(["no acceptance has passed the province's preliminary check"]);
        var reason = Reason(comments, required: !passed);
        return passed
            ? this with
            {
                Status = RecognitionStatus.Active, Acceptance = AcceptanceStep.Passed, EffectiveOn = today, ExpiresOn = today.AddYears(LevelRules.ValidityYears),
                History = [.. History, Event("acceptance_passed", today, $"accepted (验收通过): valid until {today.AddYears(LevelRules.ValidityYears).Iso()}. {reason}".Trim(), caller, now)],
                Version = Version + 1,
            }
            : End(RecognitionStatus.Cancelled, today, $"acceptance failed: {reason}", null, caller, now) with { Acceptance = AcceptanceStep.Failed };
    }

    /// <summary>Removal from the library for an incident (移出): the enterprise may not apply again for 3 years.</summary>
    public Recognition Remove(CallerScope caller, long expectedVersion, RemovalCause? cause, string? description, DateOnly? occurredOn, DateOnly today, DateTime now)
    {
        if (!caller.MayManage(Level)) throw new ForbiddenException($"the {caller.Role.ToString().ToLowerInvariant()} does not manage {Level.Chinese()} factories");
        CheckVersion(expectedVersion);
        var violations = new Violations();
        if (cause is null) violations.Add("cause", "is required: safety, quality or environmental incident, serious dishonesty, tax evasion, data fraud or other serious violation");
        var text = violations.Required("description", description, MaxReasonLength);
        if (occurredOn > today) violations.Add("occurred_on", "must not be in the future");
        violations.ThrowIfAny();
        EnsureLive();
        var reason = $"removed for {Describe(cause!.Value)}{(occurredOn is { } d ? $" on {d.Iso()}" : "")}: {text}";
        return End(RecognitionStatus.Removed, today, reason, today.AddYears(LevelRules.BanYears), caller, now);
    }

    /// <summary>Ends this recognition together with <paramref name="removal"/> of the same factory, under the same ban.</summary>
    public Recognition RemovedWith(Recognition removal, CallerScope caller, DateOnly today, DateTime now) =>
        End(RecognitionStatus.Removed, today, $"removed with the factory's {removal.Level.Chinese()} recognition {removal.Id}: {removal.EndReason}",
            removal.BanUntil, caller, now);

    /// <summary>
    /// Revocation of the announcement or recognition after a report (003 第二十一条). Confirmed data fraud always carries the
    /// 3-year ban (003 第二十条: 数据造假 … 三年内不得再次申报); a cancellation for other reasons carries none.
    /// </summary>
    public Recognition Revoke(CallerScope caller, long expectedVersion, string? reason, bool dataFraud, DateOnly today, DateTime now)
    {
        if (!caller.MayManage(Level)) throw new ForbiddenException($"the {caller.Role.ToString().ToLowerInvariant()} does not manage {Level.Chinese()} factories");
        CheckVersion(expectedVersion);
        var text = Reason(reason, required: true, field: "reason");
        EnsureLive();
        return End(RecognitionStatus.Revoked, today, dataFraud ? $"data fraud confirmed (数据造假): {text}" : text,
            dataFraud ? today.AddYears(LevelRules.BanYears) : null, caller, now);
    }

    /// <summary>The plaque (授牌) MIIT awards an excellent or leading factory (003 第十五条), recorded once with its date.</summary>
    public Recognition RecordPlaque(CallerScope caller, long expectedVersion, DateOnly? awardedOn, DateOnly today, DateTime now)
    {
        if (caller.Role != Role.Ministry) throw new ForbiddenException("the ministry records plaques");
        if (Level < Level.Excellent) throw new RuleViolationException(["plaques are awarded to excellent and leading factories (003 第十五条)"]);
        CheckVersion(expectedVersion);
        if (Status is not (RecognitionStatus.Active or RecognitionStatus.Cultivating))
            throw new RuleViolationException([$"only a current recognition receives a plaque; this one is {Describe(Status)}"]);
        if (PlaqueAwardedOn is { } earlier) throw new RuleViolationException([$"the plaque was recorded already, awarded on {earlier.Iso()}"]);
        var violations = new Violations();
        var since = History[0].On;
        if (awardedOn is null) violations.Add("awarded_on", "is required");
        else if (awardedOn > today || awardedOn < since) violations.Add("awarded_on", $"must be between {since.Iso()} and today ({today.Iso()})");
        violations.ThrowIfAny();
        return this with
        {
            PlaqueAwardedOn = awardedOn,
            History = [.. History, Event("plaque_awarded", awardedOn!.Value, "授牌", caller, now)],
            Version = Version + 1,
        };
    }

    /// <summary>
    /// The daily clock: an active recognition reaching its expiry expires (basic, advanced) or is cancelled (excellent,
    /// leading without a passed re-examination; one still awaiting its decision stays active until decided); a
    /// cultivation reaching its end without an acceptance under review is cancelled. Null when nothing is due.
    /// </summary>
    public Recognition? ApplyClock(DateOnly today, DateTime now)
    {
        var system = new CallerScope("system", "daily lifecycle job", Role.Province, "", null);
        if (Status == RecognitionStatus.Active && today >= ExpiresOn)
        {
            if (!Level.RenewsByReexamination()) return End(RecognitionStatus.Expired, ExpiresOn!.Value, "validity of 3 years ended", null, system, now);
            if (Renewal == RenewalStep.Applied) return null;
            return End(RecognitionStatus.Cancelled, ExpiresOn!.Value, "no re-examination applied for (有效期满未申请复核)", null, system, now);
        }
        // An acceptance applied for in time, still with the province or the ministry, is decided before anything ends.
        if (Status == RecognitionStatus.Cultivating && today >= CultivationEndsOn && Acceptance is not (AcceptanceStep.Applied or AcceptanceStep.PreliminaryPassed))
            return End(RecognitionStatus.Cancelled, CultivationEndsOn!.Value, "cultivation period ended without acceptance", null, system, now);
        return null;
    }

    /// <summary>The next deadline of this recognition, if any: what the officials' list of clocks shows.</summary>
    public Clock? NextClock() => Status switch
    {
        RecognitionStatus.Active when Level.RenewsByReexamination() && Renewal == RenewalStep.None =>
            new Clock("renewal_application_due", ExpiresOn!.Value.AddMonths(-LevelRules.RenewalLeadMonths)),
        RecognitionStatus.Active => new Clock("expiry", ExpiresOn!.Value),
        RecognitionStatus.Cultivating when Acceptance is (AcceptanceStep.None or AcceptanceStep.PreliminaryFailed) =>
            new Clock("acceptance_application_due", CultivationEndsOn!.Value.AddMonths(-LevelRules.AcceptanceLeadMonths)),
        RecognitionStatus.Cultivating => new Clock("cultivation_end", CultivationEndsOn!.Value),
        _ => null,
    };

    /// <summary>
    /// Taking effect and withdrawal are the results of a closed publicity notice (公示), delivered by the notices
    /// service with its own token: no authority can skip the publicity by calling them itself.
    /// </summary>
    private static void EnsurePublicityResult(CallerScope caller, string what)
    {
        if (caller.Role != Role.Service)
            throw new ForbiddenException($"only the result of a publicity notice {what}; publish a notice and close it");
    }

    private void EnsureStatus(RecognitionStatus wanted, string what)
    {
        if (Status != wanted)
            throw new RuleViolationException([$"only a {Describe(wanted)} recognition is {what}; this one is {Describe(Status)}"]);
    }

    private void EnsureLive()
    {
        if (!IsLive) throw new RuleViolationException([$"this recognition has already ended ({Describe(Status)} on {EndedOn.Iso()})"]);
    }

    private Recognition End(RecognitionStatus status, DateOnly on, string reason, DateOnly? banUntil, CallerScope caller, DateTime now) => this with
    {
        Status = status, EndedOn = on, EndReason = reason, BanUntil = banUntil,
        History = [.. History, Event(Describe(status), on, banUntil is { } ban ? $"{reason}; no applications until {ban.Iso()}" : reason, caller, now)],
        Version = Version + 1,
    };

    private Recognition Step(string kind, DateOnly on, string reason, CallerScope caller, DateTime now, RenewalStep? renewal = null, AcceptanceStep? acceptance = null) => this with
    {
        Renewal = renewal ?? Renewal, Acceptance = acceptance ?? Acceptance,
        History = [.. History, Event(kind, on, reason, caller, now)],
        Version = Version + 1,
    };

    private static string Reason(string? text, bool required, string field = "comments")
    {
        var violations = new Violations();
        var value = required ? violations.Required(field, text, MaxReasonLength) : text?.Trim() ?? "";
        if (!required && value.Length > MaxReasonLength) violations.Add(field, $"must be at most {MaxReasonLength} characters");
        violations.ThrowIfAny();
        return value;
    }

    private void CheckVersion(long expectedVersion)
    {
        if (expectedVersion != Version)
            throw new ConcurrencyException($"recognition {Id} changed since version {expectedVersion} (now {Version}); read it again");
    }

    private static RecognitionEvent Event(string kind, DateOnly on, string reason, CallerScope caller, DateTime now) =>
        new(kind, on, reason, caller.Role.ToString().ToLowerInvariant(), now);

    private static string Describe<T>(T value) where T : Enum =>
        string.Concat(value.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
