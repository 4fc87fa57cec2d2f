using SmartFactory.Kernel;
using SmartFactory.Notices.Data;
using SmartFactory.Notices.Domain;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.Notices.Jobs;

/// <summary>
/// Closes a notice after its period, by hand or by the scheduled job: the outcomes, the filing to the next level up and
/// one registry command per item go into one transaction; the relay delivers the commands afterwards.
/// </summary>
public sealed class NoticeCloser(NoticesStore store, TimeProvider time)
{
    /// <summary>How much of the notice's title the withdrawal reason quotes: the registry takes reasons of up to 2000 characters.</summary>
    private const int ReasonTitleLength = 200;

    public Task<Notice> CloseAsync(Notice notice, CallerScope caller, long? expectedVersion, CancellationToken cancellationToken)
    {
        var today = time.Today();
        var now = time.GetUtcNow().UtcDateTime;
        return store.CloseAsync(caller, notice, objections =>
        {
            var upheld = objections.Where(o => o.Status == ObjectionStatus.Upheld).Select(o => o.ItemId).ToHashSet();
            var closed = notice.Close(caller, expectedVersion, upheld, objections.Count(o => o.Status == ObjectionStatus.Pending), today, now);
            var reason = WithdrawalReason(notice);
            var commands = closed.Items.Select(item =>
            {
                // One request id per notice item: however often the relay sends it, the registry applies it once.
                var requestId = RequestId(notice.Id, item.Id);
                return item.Outcome == ItemOutcome.TookEffect
                    ? new RegistryCommand(CommandKind.TakeEffect, item.ApplicationId, requestId, EffectiveOn: today)
                    : new RegistryCommand(CommandKind.Withdraw, item.ApplicationId, requestId, Reason: reason);
            }).ToList();
            var filing = closed.FilingTo is { } to
                ? new Filing(Guid.CreateVersion7(), notice.Id, notice.Title, (int)notice.Level, notice.AuthorityRegion, to,
                    closed.Items.Count(i => i.Outcome == ItemOutcome.TookEffect), closed.Items.Count(i => i.Outcome == ItemOutcome.Rejected), now)
                : null;
            return new CloseDecision(closed, commands, filing);
        }, now, cancellationToken);
    }

    /// <summary>The request id of the registry command for one item of a closed notice, by which the outbox finds it again.</summary>
    public static string RequestId(Guid noticeId, Guid itemId) => $"notice:{noticeId}:item:{itemId}";

    /// <summary>
    /// Why the registry withdraws an item, in words fit for everyone who reads the registry (the enterprise, the change
    /// feed, later the public catalog): that an objection was upheld, and which notice. The authority's own reasons
    /// may name the objector and stay here, with the objection.
    /// </summary>
    public static string WithdrawalReason(Notice notice)
    {
        var title = notice.Title;
        if (title.Length > ReasonTitleLength)
        {
            var cut = char.IsHighSurrogate(title[ReasonTitleLength - 1]) ? ReasonTitleLength - 1 : ReasonTitleLength;
            title = title[..cut] + "…";
        }
        return $"公示异议成立：{title}（公示 {notice.Id}）";
    }
}
