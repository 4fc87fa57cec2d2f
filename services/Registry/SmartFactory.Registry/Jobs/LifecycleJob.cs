using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using StackExchange.Redis;
using Role = SmartFactory.Kernel.Role;

namespace SmartFactory.Registry.Jobs;

/// <summary>
/// The daily clock of recognitions: expiries, cancellations at expiry without a passed re-examination, cultivations
/// ending without acceptance. Every replica wakes up each <c>Jobs:LifecycleIntervalMinutes</c> (default 60), and the
/// one holding the Redis lock runs (every replica while Redis is down: see <see cref="JobLock"/>); a run only applies
/// what is due, so running again the same day changes nothing.
/// </summary>
public sealed class LifecycleJob(LifecycleStore store, IConnectionMultiplexer redis, TimeProvider time, IConfiguration configuration,
    ILogger<LifecycleJob> logger) : BackgroundService
{
    private const string LockKey = "smartfactory:registry:lifecycle-job";
    private static readonly CallerScope System = new("system", "daily lifecycle job", Role.Province, "", null);

    /// <summary>Applies every clock that has run out by <paramref name="today"/>; answers how many recognitions changed.</summary>
    public async Task<int> RunOnceAsync(DateOnly today, CancellationToken cancellationToken = default)
    {
        var changed = 0;
        foreach (var recognition in await store.DueRecognitionsAsync(today, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (recognition.ApplyClock(today, time.GetUtcNow().UtcDateTime) is not { } next) continue;
            try
            {
                await store.SaveRecognitionAsync(System, "recognition." + next.History[^1].Kind, recognition, next, null, null, cancellationToken);
                changed++;
            }
            catch (ConcurrencyException)
            {
                // Changed by someone meanwhile (e.g. a renewal decided): the next run looks at it again.
            }
        }
        return changed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue(RegistrySettings.Keys.LifecycleJobEnabled, true)) return; // tests run it by hand, on their own clock
        var interval = TimeSpan.FromMinutes(configuration.GetValue(RegistrySettings.Keys.LifecycleJobIntervalMinutes, 60));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Without Redis every replica runs: each change is version-checked, and a run applies only what is still due.
                var changed = await redis.RunLockedAsync(LockKey, TimeSpan.FromMinutes(30), () => RunOnceAsync(time.Today(), stoppingToken), logger);
                if (changed > 0) logger.LogInformation("Lifecycle job: {Count} recognition(s) expired or cancelled", changed);
            }
            // A timeout is an OperationCanceledException too: only the host's shutdown ends the loop.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Lifecycle job failed; retrying at the next interval");
            }
            try { await Task.Delay(interval, time, stoppingToken); }
            catch (OperationCanceledException) { }
        }
    }
}
