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
    public async Task<Notice> CloseAsync(Notice notice, CallerScope caller, long? expectedVersion)
    {
        var objections = await store.ListObjectionsAsync(notice.Id);
        var upheld = objections.Where(o => o.Status == "upheld").ToLookup(o => o.ItemId);
        var today = time.Today();
        var now = time.GetUtcNow().UtcDateTime;
        var closed = notice.Close(caller, expectedVersion, upheld.Select(g => g.Key).ToHashSet(), objections.Count(o => o.Status == "pending"), today, now);

        var commands = closed.Items.Select(item =>
        {
            // One request id per notice item: however often the relay sends it, the registry applies it once.
            var requestId = $"notice:{notice.Id}:item:{item.Id}";
            return item.Outcome == "took_effect"
                ? ("take_effect", (object)new { ApplicationId = item.ApplicationId, RequestId = requestId, EffectiveOn = today.ToString("yyyy-MM-dd") })
                : ("withdraw", new { ApplicationId = item.ApplicationId, RequestId = requestId,
                    Reason = string.Join("; ", upheld[item.Id].Select(o => o.ResolutionReason)) });
        }).ToList();
        var filing = closed.FilingTo is { } to
            ? new Filing(Guid.CreateVersion7(), notice.Id, notice.Title, (int)notice.Level, notice.AuthorityRegion, to,
                closed.Items.Count(i => i.Outcome == "took_effect"), closed.Items.Count(i => i.Outcome == "rejected"), now)
            : null;
        await store.CloseAsync(caller, notice, closed, commands, filing, now);
        return closed;
    }
}
