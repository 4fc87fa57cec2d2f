using System.Diagnostics.Metrics;

namespace SmartFactory.Catalog.Jobs;

/// <summary>
/// How far behind the registry's feed the catalog is, as metrics beside <c>/health/feed</c>: the sequence last applied,
/// and the lag to the feed's head as the puller last saw it. Gauges, read whenever the exporter collects.
/// </summary>
public sealed class FeedMetrics
{
    public const string MeterName = "SmartFactory.Catalog";
    public const string LagName = "smartfactory.catalog.feed.lag";
    public const string AppliedName = "smartfactory.catalog.feed.applied";

    private long applied;
    private long head;

    public FeedMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(LagName, () => Math.Max(0, Interlocked.Read(ref head) - Interlocked.Read(ref applied)), "{change}",
            "changes of the registry's feed not yet applied to the catalog");
        meter.CreateObservableGauge(AppliedName, () => Interlocked.Read(ref applied), "{change}", "the feed's sequence last applied");
    }

    public void Observe(long appliedSequence, long headSequence)
    {
        Interlocked.Exchange(ref applied, appliedSequence);
        Interlocked.Exchange(ref head, headSequence);
    }
}
