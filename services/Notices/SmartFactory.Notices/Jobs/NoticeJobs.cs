using Grpc.Core;
using Grpc.Net.ClientFactory;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Kernel;
using SmartFactory.Notices.Data;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using StackExchange.Redis;
using Role = SmartFactory.Kernel.Role;

namespace SmartFactory.Notices.Jobs;

/// <summary>
/// Two background loops. The relay delivers the outbox to the registry every few seconds (each row under a lock that
/// other replicas skip), with the service's own token, until the registry acknowledges it. The closer closes notices
/// whose period has ended and whose objections are all resolved, once an hour, on the replica holding the Redis lock
/// (on every replica while Redis is down: see <see cref="JobLock"/>).
/// </summary>
public sealed class NoticeJobs(NoticesStore store, NoticeCloser closer, GrpcClientFactory clients, ServiceTokens tokens, IConnectionMultiplexer redis,
    TimeProvider time, IConfiguration configuration, ILogger<NoticeJobs> logger) : BackgroundService
{
    private static readonly CallerScope System = new("system", "notice closing job", Role.Service, "", null);

    /// <summary>Delivers what is due now; answers how many commands the registry acknowledged.</summary>
    public Task<int> RelayOnceAsync(CancellationToken cancellationToken = default) =>
        store.DeliverDueAsync(message => DeliverAsync(message, cancellationToken), time.GetUtcNow().UtcDateTime, batch: 20, cancellationToken);

    /// <summary>Closes every notice whose period ended before today and that has no objection pending.</summary>
    public async Task<int> CloseDueAsync(CancellationToken cancellationToken = default)
    {
        var closed = 0;
        foreach (var notice in await store.NoticesToCloseAsync(time.Today(), cancellationToken))
        {
            try
            {
                await closer.CloseAsync(notice, System, expectedVersion: null, cancellationToken);
                closed++;
            }
            catch (DomainException e)
            {
                logger.LogInformation("Notice {Notice} not closed yet: {Reason}", notice.Id, e.Message);
            }
        }
        return closed;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Loop("relay", NoticesSettings.Keys.RelayEnabled, TimeSpan.FromSeconds(configuration.GetValue(NoticesSettings.Keys.RelayIntervalSeconds, 2)),
            () => RelayOnceAsync(stoppingToken), stoppingToken),
        Loop("closer", NoticesSettings.Keys.CloseJobEnabled, TimeSpan.FromMinutes(configuration.GetValue(NoticesSettings.Keys.CloseIntervalMinutes, 60)),
            () => CloseLockedAsync(stoppingToken), stoppingToken));

    // Without Redis every replica closes: a close is serialized on the notice's row and version-checked, so each notice closes once.
    private Task<int> CloseLockedAsync(CancellationToken stoppingToken) =>
        redis.RunLockedAsync("smartfactory:notices:close-job", TimeSpan.FromMinutes(30), () => CloseDueAsync(stoppingToken), logger);

    private async Task Loop(string name, string enabledKey, TimeSpan interval, Func<Task<int>> run, CancellationToken stoppingToken)
    {
        if (!configuration.GetValue(enabledKey, true)) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await run(); }
            // A timeout is an OperationCanceledException too: only the host's shutdown ends the loop.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { logger.LogError(e, "Notice {Job} failed; retrying", name); }
            try { await Task.Delay(interval, time, stoppingToken); }
            catch (OperationCanceledException) { }
        }
    }

    private async Task<(bool Delivered, bool Permanent, string? Error)> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            // Its own token, not a user's: the relay acts for the service.
            var authorization = new Metadata { { "authorization", "Bearer " + await tokens.GetAsync(cancellationToken) } };
            var command = message.Command;
            // From the factory on each delivery, so a long-lived job follows the factory's handler rotation.
            var registry = clients.CreateClient<LifecycleService.LifecycleServiceClient>(nameof(LifecycleService.LifecycleServiceClient));
            if (command.Kind == CommandKind.TakeEffect)
                await registry.TakeEffectAsync(new TakeEffectRequest
                {
                    ApplicationId = command.ApplicationId.ToString(), RequestId = command.RequestId, EffectiveOn = command.EffectiveOn?.ToString("yyyy-MM-dd") ?? "",
                }, authorization, cancellationToken: cancellationToken);
            else
                await registry.WithdrawAfterPublicityAsync(new WithdrawAfterPublicityRequest
                {
                    ApplicationId = command.ApplicationId.ToString(), RequestId = command.RequestId, Reason = command.Reason ?? "",
                }, authorization, cancellationToken: cancellationToken);
            return (true, false, null);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            // The registry refuses it for good (e.g. the recognition was revoked meanwhile): keep it as failed, for an official to see.
            logger.LogError("Registry refused {Kind} {Id}: {Status} {Message}", message.Command.Kind, message.Id, e.StatusCode, e.Status.Detail);
            return (false, true, $"{e.StatusCode}: {e.Status.Detail}");
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            // Not a refusal of this command but of who sends it (a wrong client, secret or role): once the configuration
            // is put right the same command goes through, so it waits with the others, louder.
            logger.LogError("Registry refused the notices service's token for {Kind} {Id} (attempt {Attempt}): {Status} {Message}; check Auth:ClientId " +
                "and its service role", message.Command.Kind, message.Id, message.Attempts + 1, e.StatusCode, e.Status.Detail);
            return (false, false, $"{e.StatusCode}: {e.Status.Detail}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Anything else (the registry or the issuer unreachable, a timeout, an answer that is not JSON) may pass:
            // try again later. Only the host's own shutdown escapes, leaving the row as it was for the next start;
            // any other escape would leave it at the head of the queue without counting the attempt.
            logger.LogWarning("Delivery of {Kind} {Id} failed (attempt {Attempt}): {Error}", message.Command.Kind, message.Id, message.Attempts + 1, e.Message);
            return (false, false, e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : $"{e.GetType().Name}: {e.Message}");
        }
    }
}
