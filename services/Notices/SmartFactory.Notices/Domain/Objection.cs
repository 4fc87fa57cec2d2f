using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SmartFactory.Kernel;

namespace SmartFactory.Notices.Domain;

/// <summary>An objection awaits the authority's decision, which upholds or dismisses it.</summary>
public enum ObjectionStatus { Pending, Upheld, Dismissed }

/// <summary>
/// A named objection (异议) to one item of a published notice, filed during its period. The objector's identity
/// (name, phone, organisation) is seen by the publishing authority only.
/// </summary>
public sealed partial record Objection(
    Guid Id, string ReceiptNumber, Guid NoticeId, Guid ItemId, string ObjectorName, string ContactPhone, string Organisation, string Grounds,
    IReadOnlyList<EvidenceFile> Evidence, ObjectionStatus Status, string ResolutionReason, DateTime FiledAt, DateTime? ResolvedAt, long Version)
{
    public const int MaxGroundsLength = 5000;
    public const int MaxFiles = 5;
    public const int MaxFileBytes = 10 * 1024 * 1024;

    /// <summary>Files an objection: refused with a clear message when anonymous, out of the period, or malformed.</summary>
    public static Objection File(Notice notice, string? itemId, string? name, string? phone, string? organisation, string? grounds,
        IReadOnlyList<EvidenceUpload> uploads, DateOnly today, Guid id, string receiptNumber, DateTime now)
    {
        if (!notice.AcceptsObjectionsOn(today))
            throw new RuleViolationException([notice.Status == NoticeStatus.Published && today < notice.StartsOn
                ? $"objections are accepted from {notice.StartsOn:yyyy-MM-dd} to {notice.EndsOn:yyyy-MM-dd}"
                : $"the publicity period ended on {notice.EndsOn:yyyy-MM-dd}; objections are no longer accepted"]);
        var violations = new Violations();
        var item = Guid.TryParse(itemId, out var itemGuid) ? notice.Items.FirstOrDefault(i => i.Id == itemGuid) : null;
        if (item is null) violations.Add("item_id", "name an item of this notice");
        var realName = name?.Trim() ?? "";
        if (realName.Length == 0 || Anonymous().IsMatch(realName))
            violations.Add("objector_name", "a real name is required: anonymous objections are not accepted (实名)");
        else violations.Optional("objector_name", realName, 50);
        var contact = phone?.Trim() ?? "";
        if (!Phone().IsMatch(contact)) violations.Add("contact_phone", "a mobile (1XXXXXXXXXX) or landline (0XX-XXXXXXXX) number is required");
        var org = violations.Optional("organisation", organisation, 200);
        var text = violations.Required("grounds", grounds, MaxGroundsLength);
        var evidence = CheckEvidence(uploads, violations);
        violations.ThrowIfAny();
        return new Objection(id, receiptNumber, notice.Id, item!.Id, realName, contact, org, text, evidence, ObjectionStatus.Pending, "", now, null, 1);
    }

    /// <summary>The publishing authority upholds or dismisses an objection, with its reason, before the notice closes.</summary>
    public Objection Resolve(Notice notice, CallerScope caller, long expectedVersion, bool upheld, string? reason, DateTime now)
    {
        if (!notice.IsAuthority(caller)) throw new NotFoundException($"objection {Id} not found");
        if (expectedVersion != Version) throw new ConcurrencyException($"objection {Id} changed since version {expectedVersion}; read it again");
        if (Status != ObjectionStatus.Pending) throw new RuleViolationException([$"the objection was {SnakeCase.Name(Status)} already"]);
        if (notice.Status == NoticeStatus.Closed) throw new RuleViolationException(["the notice is closed"]);
        var violations = new Violations();
        var text = violations.Required("reason", reason, MaxGroundsLength);
        violations.ThrowIfAny();
        return this with { Status = upheld ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed, ResolutionReason = text, ResolvedAt = now, Version = Version + 1 };
    }

    /// <summary>Receipts look like YY-20261122-4821: a prefix for objections, the filing date, and a random part.</summary>
    public static string NewReceiptNumber(DateOnly today) => $"YY-{today:yyyyMMdd}-{RandomNumberGenerator.GetInt32(0, 1_000_000):D6}";

    /// <summary>Objections take PDF, JPEG and PNG only: scans and photos of what the objector saw.</summary>
    public static readonly EvidenceType[] EvidenceTypes = [EvidenceType.Pdf, EvidenceType.Jpeg, EvidenceType.Png];

    private static List<EvidenceFile> CheckEvidence(IReadOnlyList<EvidenceUpload> uploads, Violations violations)
    {
        if (uploads.Count > MaxFiles) violations.Add("evidence", $"at most {MaxFiles} files (got {uploads.Count})");
        return [.. uploads.Select((upload, i) => Kernel.Evidence.Check(upload, EvidenceTypes, MaxFileBytes, $"evidence[{i}]", violations)).OfType<EvidenceFile>()];
    }

    [GeneratedRegex(@"^(匿名|anonymous|anon|无名氏|某某|n/?a)$", RegexOptions.IgnoreCase)]
    private static partial Regex Anonymous();

    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex Phone();
}
