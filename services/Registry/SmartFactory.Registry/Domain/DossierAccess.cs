using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

/// <summary>
/// Who reads and who changes a dossier. Trade secrets (商业秘密, 003 第二十二条; 004 二): the contents are seen by the
/// enterprise and by the authorities that review the application — the city of the factory's region for basic and
/// advanced (003 第十条, 第十一条), the province for advanced, excellent and leading (003 第十二条, 第十三条), the ministry for
/// excellent and leading (003 第十三条, 第十四条) — never by the public, another enterprise, another city or a service.
/// The region part of the scope is the query's (the application is read in the caller's scope first); this is the level part.
/// </summary>
public static class DossierAccess
{
    public static bool MayRead(CallerScope caller, Level level) => caller.Role switch
    {
        Role.Enterprise => true, // its own: the application was read by its credit code
        Role.City => level is Level.Basic or Level.Advanced,
        Role.Province => level is Level.Advanced or Level.Excellent or Level.Leading,
        Role.Ministry => level is Level.Excellent or Level.Leading,
        _ => false,
    };

    /// <summary>Out of the caller's reach is as absent: NOT_FOUND, never a hint that the dossier exists.</summary>
    public static void ThrowUnlessReadable(CallerScope caller, Application application)
    {
        if (!MayRead(caller, application.Level)) throw new NotFoundException($"application {application.Id} not found");
    }

    /// <summary>The authority whose review the application awaits now, as <see cref="Application.Review"/> decides it; null when none.</summary>
    public static Role? AwaitingReviewBy(Application application) => (application.Status, application.Level) switch
    {
        (ApplicationStatus.Submitted, Level.Basic or Level.Advanced) => Role.City,
        (ApplicationStatus.Submitted, _) => Role.Province,
        (ApplicationStatus.Recommended, Level.Advanced) => Role.Province,
        (ApplicationStatus.Recommended, _) => Role.Ministry,
        _ => null,
    };

    /// <summary>
    /// A change of the dossier: a file of <paramref name="kind"/>, or a narrative when null. The enterprise changes its
    /// materials while the application is a draft or returned (谁申报、谁负责, 003 第八条); a reviewing authority adds or
    /// removes a verification attachment while the application awaits its review.
    /// </summary>
    public static void CheckChange(CallerScope caller, Application application, DossierFileKind? kind)
    {
        ThrowUnlessReadable(caller, application);
        var state = application.Status.ToString().ToLowerInvariant();
        if (kind == DossierFileKind.VerificationAttachment)
        {
            if (caller.Role == Role.Enterprise) throw new ForbiddenException("verification attachments are the reviewing authority's");
            var reviewer = AwaitingReviewBy(application);
            if (reviewer != caller.Role)
                throw new RuleViolationException([reviewer is null
                    ? $"a {state} application awaits no review: verification attachments are added during the review"
                    : $"the {reviewer.ToString()!.ToLowerInvariant()} reviews this application now"]);
            return;
        }
        if (caller.Role != Role.Enterprise) throw new ForbiddenException("only the applying enterprise changes its dossier");
        if (application.Status is not (ApplicationStatus.Draft or ApplicationStatus.Returned))
            throw new RuleViolationException([$"a {state} application's dossier can no longer be changed"]);
    }
}
