using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

public enum ApplicationStatus { Draft, Submitted, Returned, Recommended, Approved, Rejected }

public enum ReviewAction { Approve, Return, Reject, Recommend }

/// <summary>
/// What the enterprise fills in. A draft may be incomplete; submission needs it whole. The declarations are the basic
/// requirements (要素条件) checklist; TruthfulnessDeclared the statement that the materials are true and contain no state
/// or trade secret (004 二).
/// </summary>
public sealed record ApplicationForm(
    int? MaturityLevel, DateOnly? MaturityAssessedOn, string CertificateRef, string CatalogEdition,
    IReadOnlyList<string> ScenarioIds, IReadOnlyDictionary<string, double> Kpis, bool TruthfulnessDeclared,
    IReadOnlyList<Declaration> Declarations, double? LastYearRevenue, LegalForm? LegalForm)
{
    public const int MaxCertificateRefLength = 100;

    /// <summary>Checks the form's fields as far as they are filled in: known catalog, scenarios and KPIs, sane values.</summary>
    public static ApplicationForm Read(Violations violations, int maturityLevel, string? assessedOn, string? certificateRef, string? edition,
        IReadOnlyList<string> scenarioIds, IReadOnlyList<(string Id, double Value)> kpis, bool truthful, ReferenceCatalogs catalogs, DateOnly today,
        IReadOnlyList<(string Code, bool Affirmed, string? Note)> declarations, double lastYearRevenue, LegalForm? legalForm)
    {
        if (maturityLevel is < 0 or > 5) violations.Add("maturity.level", "must be a GB/T 39116-2020 level from 1 to 5");
        var assessed = violations.Date("maturity.assessed_on", assessedOn, required: false);
        if (assessed > today) violations.Add("maturity.assessed_on", "must not be in the future");
        var certificate = violations.Optional("maturity.certificate_ref", certificateRef, MaxCertificateRefLength);

        var catalog = edition?.Trim() ?? "";
        if (catalog.Length > 0 && catalogs.Edition(catalog) is null)
            violations.Add("catalog_edition", $"'{catalog}' is not a scenario catalog edition ({string.Join(", ", catalogs.Editions.Select(e => e.Edition))})");
        else if (scenarioIds.Count > 0)
        {
            if (catalog.Length == 0) violations.Add("catalog_edition", "is required with scenarios");
            else
            {
                catalogs.AreasCovered(catalog, scenarioIds, out var unknown);
                if (unknown.Count > 0)
                    violations.Add("scenario_ids", $"not in the {catalog} catalog: {string.Join(", ", unknown.Take(10))}{(unknown.Count > 10 ? $" and {unknown.Count - 10} more" : "")}");
            }
        }

        var values = new Dictionary<string, double>();
        var known = catalogs.Kpis.ToDictionary(k => k.Id);
        foreach (var (id, value) in kpis)
        {
            if (!known.TryGetValue(id, out var kpi)) violations.Add("kpis", $"'{id}' is not one of the KPIs K01-K20");
            else if (!double.IsFinite(value) || value < kpi.Min || value > kpi.Max)
                violations.Add("kpis", $"{id} ({kpi.Label}) must be a number from {kpi.Min} to {kpi.Max}{kpi.Unit switch { "%" => " %", _ => "" }}");
            else if (!values.TryAdd(id, value)) violations.Add("kpis", $"{id} is given twice");
        }
        var checklist = BasicRequirements.Read(violations, declarations);
        if (!double.IsFinite(lastYearRevenue) || lastYearRevenue < 0) violations.Add("last_year_revenue", "must be a number of 万元, at least 0");
        return new ApplicationForm(maturityLevel == 0 ? null : maturityLevel, assessed, certificate, catalog,
            [.. scenarioIds.Distinct()], values, truthful, checklist, lastYearRevenue > 0 ? lastYearRevenue : null, legalForm);
    }
}

/// <summary>A reviewer's step, kept forever with the application.</summary>
public sealed record ReviewEntry(string Action, string ActorRole, string ActorName, string Comments, DateTime At);

/// <summary>
/// Facts about the factory and its enterprise at the moment of the command, read by the service: the level the
/// factory holds now, a removal ban still running, whether the factory is in this province, another application
/// for the same level that is open or approved with its recognition still to come, and the factory's region and
/// GB/T 4754 industry.
/// </summary>
public sealed record ApplicantStanding(Level? CurrentLevel, DateOnly? BanUntil, bool FactoryInProvince, Guid? OtherOpenApplication,
    string RegionCode, string IndustryCode);

/// <summary>An application (申报) of an enterprise for one of its factories, in one campaign, for the campaign's level.</summary>
public sealed record Application(
    Guid Id, Guid CampaignId, Guid FactoryId, Guid EnterpriseId, Level Level, ApplicationStatus Status, ApplicationForm Form,
    IReadOnlyList<string> Warnings, IReadOnlyList<ReviewEntry> History, string? RecommendedBy, Guid? RecognitionId,
    long Version, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<Verification> Verifications)
{
    public const int MaxCommentsLength = 2000;

    public bool IsOpen => Status is ApplicationStatus.Draft or ApplicationStatus.Submitted or ApplicationStatus.Returned or ApplicationStatus.Recommended;

    /// <summary>Starts a draft. Only the enterprise applies, and only where nothing already rules the application out.</summary>
    public static Application Start(CallerScope caller, Guid factoryId, Guid enterpriseId, Campaign campaign, ApplicationForm form,
        ApplicantStanding standing, DateOnly today, Guid id, DateTime now)
    {
        if (caller.Role != Role.Enterprise) throw new ForbiddenException("an enterprise applies for its own factories");
        var refusals = Refusals(campaign, standing, today, form: null);
        if (refusals.Count > 0) throw new RuleViolationException(refusals);
        return new Application(id, campaign.Id, factoryId, enterpriseId, campaign.Level, ApplicationStatus.Draft, form, [], [], null, null, 1, now, now, []);
    }

    /// <summary>Drafts, and applications returned for changes, may be edited by their enterprise.</summary>
    public Application Edit(CallerScope caller, long expectedVersion, ApplicationForm form, DateTime now)
    {
        if (caller.Role != Role.Enterprise) throw new ForbiddenException("only the applying enterprise edits its application");
        CheckVersion(expectedVersion);
        if (Status is not (ApplicationStatus.Draft or ApplicationStatus.Returned))
            throw new RuleViolationException([$"a {Describe(Status)} application can no longer be edited"]);
        return this with { Form = form, Version = Version + 1, UpdatedAt = now };
    }

    /// <summary>
    /// Submits the application: the form must be complete, and every rule is checked at once — the campaign's window, the
    /// factory in the province, the order of levels, the maturity minimum, the construction coverage, a removal ban and
    /// a second open application. Excellent's coverage is advice: a gap becomes a warning, not a refusal.
    /// </summary>
    public Application Submit(CallerScope caller, long expectedVersion, Campaign campaign, ApplicantStanding standing, ReferenceCatalogs catalogs,
        DateOnly today, DateTime now)
    {
        if (caller.Role != Role.Enterprise) throw new ForbiddenException("only the applying enterprise submits its application");
        CheckVersion(expectedVersion);
        if (Status is not (ApplicationStatus.Draft or ApplicationStatus.Returned))
            throw new RuleViolationException([$"a {Describe(Status)} application cannot be submitted again"]);

        var violations = new Violations();
        if (Form.MaturityLevel is null) violations.Add("maturity.level", "is required to submit");
        if (Form.MaturityAssessedOn is null) violations.Add("maturity.assessed_on", "is required to submit");
        if (Form.CertificateRef.Length == 0) violations.Add("maturity.certificate_ref", "is required to submit");
        if (Form.CatalogEdition != campaign.CatalogEdition)
            violations.Add("catalog_edition", $"the {campaign.Year} {Level.Chinese()} round cites the {campaign.CatalogEdition} scenario catalog");
        if (Form.ScenarioIds.Count == 0) violations.Add("scenario_ids", "name at least one scenario the factory has built");
        if (!Form.TruthfulnessDeclared)
            violations.Add("truthfulness_declared", "the enterprise must declare that the materials are true and accurate and contain no state or trade secret (004 二)");
        violations.ThrowIfAny();

        var refusals = Refusals(campaign, standing, today, Form, resubmission: Status == ApplicationStatus.Returned);
        refusals.AddRange(BasicRequirements.Unmet(Form.Declarations, Form.LastYearRevenue, Form.LegalForm, standing.IndustryCode));
        var coverage = CoverageGap(catalogs);
        if (coverage is not null && !Level.CoverageIsOnlyAdvice()) refusals.Add(coverage);
        if (refusals.Count > 0) throw new RuleViolationException(refusals);
        return this with
        {
            Status = ApplicationStatus.Submitted,
            Warnings = coverage is null ? [] : [coverage + " (in principle: the reviewers decide)"],
            History = [.. History, new ReviewEntry("submitted", "enterprise", caller.Name, "", now)],
            Version = Version + 1,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// A reviewer's step. Basic: the city approves, returns or rejects. Advanced: the city returns or rejects, or puts it on
    /// its ranked list (<see cref="RecommendIn"/>), then the province approves or rejects. Excellent and leading: the
    /// province returns, rejects or lists it; the ministry rejects, or names it in MIIT's decision
    /// (<see cref="SelectedByNationalDecision"/>). Approval needs every declared requirement verified, and no step may
    /// come after the round's deadline (003 第十、十二条) or in a closed round.
    /// </summary>
    public Application Review(CallerScope caller, long expectedVersion, ReviewAction action, string? comments, Campaign campaign,
        DateOnly today, DateTime now)
    {
        var reviewer = Reviewer();
        if (caller.Role != reviewer)
            throw new ForbiddenException($"the {reviewer.ToString().ToLowerInvariant()} reviews this {Level.ToString().ToLowerInvariant()} application now");
        CheckVersion(expectedVersion);
        // Recommending is a ranked list within the quota (推荐汇总表, RecommendationList); the action stays on the wire.
        if (action == ReviewAction.Recommend && Status == ApplicationStatus.Submitted && Level != Level.Basic)
            throw new RuleViolationException([$"recommend through the campaign's recommendation list (推荐汇总表): put the application on the {caller.Region} list and submit it"]);

        ReviewAction[] possible = (Status, Level) switch
        {
            (ApplicationStatus.Recommended, >= Level.Excellent) => [ReviewAction.Reject],
            (ApplicationStatus.Recommended, _) => [ReviewAction.Approve, ReviewAction.Reject],
            (_, Level.Basic) => [ReviewAction.Approve, ReviewAction.Return, ReviewAction.Reject],
            _ => [ReviewAction.Return, ReviewAction.Reject],
        };
        if (!possible.Contains(action))
            throw new RuleViolationException([$"the {reviewer.ToString().ToLowerInvariant()} may {string.Join(", ", possible.Select(p => p.ToString().ToLowerInvariant()))} this application, not {action.ToString().ToLowerInvariant()} it"
                + (action == ReviewAction.Approve && Level >= Level.Excellent ? "; excellent and leading take effect from MIIT's published decision: record it" : "")]);
        if ((campaign.ClosedReason() ?? campaign.LateOn(today)) is { } late) throw new RuleViolationException([late]);
        if (action == ReviewAction.Approve && UnverifiedRequirements() is { Count: > 0 } unverified) throw new RuleViolationException(unverified);

        var text = comments?.Trim() ?? "";
        var violations = new Violations();
        if (action is ReviewAction.Return or ReviewAction.Reject && text.Length == 0)
            violations.Add("comments", action == ReviewAction.Return ? "say what to change" : "give the reasons for rejecting");
        if (text.Length > MaxCommentsLength) violations.Add("comments", $"must be at most {MaxCommentsLength} characters");
        violations.ThrowIfAny();

        var (status, verb) = action switch
        {
            ReviewAction.Approve => (ApplicationStatus.Approved, "approved"),
            ReviewAction.Return => (ApplicationStatus.Returned, "returned"),
            _ => (ApplicationStatus.Rejected, "rejected"),
        };
        return this with
        {
            Status = status,
            History = [.. History, new ReviewEntry(verb, caller.Role.ToString().ToLowerInvariant(), caller.Name, text, now)],
            Version = Version + 1,
            UpdatedAt = now,
        };
    }

    public Application Recognized(Guid recognitionId) => this with { RecognitionId = recognitionId };

    /// <summary>
    /// The reviewing authority at the current stage records its finding on declared requirements, with a consulted
    /// body's answer attached where it asked one; a later finding on the same requirement replaces the earlier one.
    /// </summary>
    public Application Verify(CallerScope caller, long expectedVersion, IReadOnlyList<Verification> findings, DateTime now)
    {
        var reviewer = Reviewer();
        if (caller.Role != reviewer) throw new ForbiddenException($"the {reviewer.ToString().ToLowerInvariant()} reviews this application now");
        CheckVersion(expectedVersion);
        var undeclared = findings.Where(f => Form.Declarations.All(d => d.Code != f.Code)).Select(f => f.Code).ToList();
        if (undeclared.Count > 0) throw new RuleViolationException([$"the application does not declare {string.Join(", ", undeclared)}"]);
        var replaced = findings.Select(f => f.Code).ToHashSet();
        return this with
        {
            Verifications = [.. Verifications.Where(v => !replaced.Contains(v.Code)), .. findings],
            Version = Version + 1,
            UpdatedAt = now,
        };
    }

    /// <summary>The declared requirements not yet verified as met by a reviewing authority, in words; empty when all are.</summary>
    public List<string> UnverifiedRequirements()
    {
        var found = Verifications.ToDictionary(v => v.Code);
        return [.. BasicRequirements.All.Select(r => found.TryGetValue(r.Code, out var v)
                ? v.Confirmed ? null : $"the reviewers found the basic requirement {r.Code} not met: {v.Note}; reject the application"
                : $"verify the declared basic requirement {r.Code} ({r.Text}) before approving")
            .OfType<string>()];
    }

    /// <summary>
    /// Named in MIIT's published decision (excellent, leading): approved from the decision, whose reference the history
    /// keeps. Only an application the province recommended can be named.
    /// </summary>
    public Application SelectedByNationalDecision(CallerScope caller, NationalDecision decision, DateTime now)
    {
        if (caller.Role != Role.Ministry) throw new ForbiddenException("the ministry records MIIT's decisions");
        if (Status != ApplicationStatus.Recommended)
            throw new RuleViolationException([$"application {Id} is {Describe(Status)}; a national decision names applications the province recommended"]);
        return this with
        {
            Status = ApplicationStatus.Approved,
            History = [.. History, new ReviewEntry("approved", "ministry", caller.Name, $"{decision.ListName} ({decision.DocumentNumber}, {decision.DecidedOn.Iso()})", now)],
            Version = Version + 1,
            UpdatedAt = now,
        };
    }

    private Role Reviewer() => (Status, Level) switch
    {
        (ApplicationStatus.Submitted, Level.Basic or Level.Advanced) => Role.City,
        (ApplicationStatus.Submitted, _) => Role.Province,
        (ApplicationStatus.Recommended, Level.Advanced) => Role.Province,
        (ApplicationStatus.Recommended, _) => Role.Ministry,
        _ => throw new RuleViolationException([$"a {Describe(Status)} application is not awaiting review"]),
    };

    /// <summary>
    /// An approved application whose recognition was withdrawn after an objection upheld during publicity: rejected,
    /// with the reason in its history. It keeps its recognition id, so the cancelled recognition stays traceable.
    /// </summary>
    public Application RejectAfterPublicity(CallerScope caller, string reason, DateTime now)
    {
        if (Status != ApplicationStatus.Approved)
            throw new RuleViolationException([$"only an approved application is rejected after publicity; this one is {Describe(Status)}"]);
        return this with
        {
            Status = ApplicationStatus.Rejected,
            History = [.. History, new ReviewEntry("rejected_after_publicity", caller.Role.ToString().ToLowerInvariant(), caller.Name, reason, now)],
            Version = Version + 1,
            UpdatedAt = now,
        };
    }

    /// <summary>The construction areas the level requires that the scenarios do not cover, in the rule's words, or null.</summary>
    public string? CoverageGap(ReferenceCatalogs catalogs)
    {
        var covered = catalogs.AreasCovered(Form.CatalogEdition, Form.ScenarioIds, out _);
        var missing = Level.RequiredAreas().Where(a => !covered.Contains(a)).Order().ToList();
        return missing.Count == 0 ? null
            : $"{Level.Chinese()} requires the construction areas {string.Join("、", Level.RequiredAreas().Order().Select(a => a.Chinese()))}; the scenarios do not cover {string.Join("、", missing.Select(a => a.Chinese()))}";
    }

    /// <param name="resubmission">An application returned for changes comes back until the decision is due, after the window.</param>
    private static List<string> Refusals(Campaign campaign, ApplicantStanding standing, DateOnly today, ApplicationForm? form, bool resubmission = false)
    {
        var level = campaign.Level;
        var refusals = new List<string>();
        if (campaign.ClosedReason() is { } closed) refusals.Add(closed);
        else if (resubmission && campaign.LateOn(today) is { } late) refusals.Add(late);
        else if (!resubmission && today > campaign.SubmissionClosesOn)
            refusals.Add($"the {campaign.Year} {level.Chinese()} campaign closed on {campaign.SubmissionClosesOn.Iso()}");
        else if (form is not null && today < campaign.SubmissionOpensOn)
            refusals.Add($"the {campaign.Year} {level.Chinese()} campaign accepts submissions from {campaign.SubmissionOpensOn.Iso()}");
        if (!standing.FactoryInProvince) refusals.Add("the factory is not in this province (在湖北省内工商注册登记)");
        else if (!campaign.Covers(standing.RegionCode))
            refusals.Add($"the {campaign.Year} {level.Chinese()} round of {campaign.RegionCode} is for the factories of that city; apply in your city's round (003 第九条)");
        if (level.Prerequisite() is { } prerequisite && (standing.CurrentLevel is null || standing.CurrentLevel < prerequisite))
            refusals.Add($"{level.Chinese()} needs a current {prerequisite.Chinese()} recognition; the factory holds {standing.CurrentLevel?.Chinese() ?? "none"}");
        if (standing.CurrentLevel is { } current && (current > level || (current == level && level.RenewsByReexamination())))
            refusals.Add(current > level
                ? $"the factory already holds {current.Chinese()}, above {level.Chinese()}"
                : $"the factory already holds {current.Chinese()}; it renews by re-examination (复核), not a new application");
        if (form?.MaturityLevel is { } maturity && maturity < level.MinimumMaturity())
            refusals.Add($"maturity level {maturity} is below the {level.Chinese()} minimum of {level.MinimumMaturity()} (GB/T 39116-2020)");
        if (standing.BanUntil is { } ban && ban > today)
            refusals.Add($"the enterprise was removed from the library and may not apply again until {ban.Iso()}");
        if (standing.OtherOpenApplication is { } other)
            refusals.Add($"the factory already has an open or approved {level.Chinese()} application ({other})");
        return refusals;
    }

    private void CheckVersion(long expectedVersion)
    {
        if (expectedVersion != Version)
            throw new ConcurrencyException($"application {Id} changed since version {expectedVersion} (now {Version}); read it again");
    }

    private static string Describe(ApplicationStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>
    /// Recommended at <paramref name="rank"/> of a submitted recommendation list (推荐汇总表, 003 第十一、十三条): the
    /// list's submission does this to every entry, in one transaction.
    /// </summary>
    public Application RecommendIn(RecommendationList list, int rank, CallerScope caller, DateTime now)
    {
        if (Status != ApplicationStatus.Submitted || CampaignId != list.CampaignId)
            throw new RuleViolationException([$"application {Id} is {Describe(Status)}; only a submitted application of the list's campaign is recommended"]);
        var reason = list.Entries.FirstOrDefault(e => e.ApplicationId == Id)?.Reason ?? "";
        return this with
        {
            Status = ApplicationStatus.Recommended,
            RecommendedBy = list.RecommenderRegion,
            History = [.. History, new ReviewEntry("recommended", caller.Role.ToString().ToLowerInvariant(), caller.Name,
                $"rank {rank} of {list.Entries.Count} in the recommendation list (推荐汇总表) {list.Id}{(reason.Length > 0 ? $": {reason}" : "")}", now)],
            Version = Version + 1,
            UpdatedAt = now,
        };
    }
}
