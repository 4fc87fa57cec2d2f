extern alias notices;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.ServiceDefaults;
using SmartFactory.TestSupport;
using StackExchange.Redis;
using Xunit.Abstractions;
using static SmartFactory.TestSupport.GrpcTesting;
using NoticesReplica = SmartFactory.TestSupport.ServiceHost<notices::Program>;

namespace SmartFactory.Faults.Tests;

/// <summary>
/// The platform's processes while what they depend on fails and comes back: Redis, which holds no data of record, and
/// PostgreSQL, which holds all of it. Nothing is restarted but the failing server.
/// </summary>
public class FaultTests(FaultsFixture fixture, ITestOutputHelper output) : IClassFixture<FaultsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private const int Limit = FaultsFixture.ObjectionsPerMinute;

    [Fact]
    public async Task Without_Redis_objections_are_limited_per_process_and_idempotent_and_ready_is_degraded_and_limits_are_shared_again_after()
    {
        var watch = Stopwatch.StartNew();
        var (notice, item) = await PublishedNotice(new DateOnly(2025, 6, 9), "420100");
        NoticesReplica a = fixture.Notices, b = fixture.OtherNotices;

        // With Redis the limit is one for both replicas.
        await AssertSharedLimit(notice, item);

        await fixture.Redis.StopAsync();
        try
        {
            foreach (var host in Hosts) await WaitForReady(host, HttpStatusCode.OK, "Degraded", ("redis", "Degraded"), ("postgres", "Healthy"));
            output.WriteLine($"{watch.Elapsed}: Redis down, every service ready and degraded");
            using (var channel = a.GrpcChannel())
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await GrpcHealth(channel)).Status);

            // Each replica limits on its own: a client gets the limit once per replica.
            var client = NewClient();
            foreach (var replica in new[] { a, b })
            {
                for (var i = 0; i < Limit; i++) await Object(replica, notice, item, client);
                await AssertStatus(StatusCode.ResourceExhausted, () => Object(replica, notice, item, client));
            }

            // A repeated key answers the first receipt from the database on either replica, even to a client at its limit.
            var first = await Object(a, notice, item, NewClient(), phone: "13700137000", key: "no-redis-1");
            var again = await Object(b, notice, item, client, phone: "13700137000", key: "no-redis-1");
            Assert.Equal(first.ReceiptNumber, again.ReceiptNumber);
            Assert.Equal(1L, await Scalar<long>($"select count(*) from notices.objections where receipt_number = '{first.ReceiptNumber}'"));
            Assert.Equal(first.ReceiptNumber, (await Object(a, notice, item, NewClient(), phone: "13700137000", key: "no-redis-1")).ReceiptNumber);

            // Reads too, and the registry answers.
            Assert.Equal(notice.Id, (await fixture.CallNotices<GetNoticeRequest, Notice>(b, "GetNotice", new() { Id = notice.Id }, null)).Id);
            await fixture.CallRegistry<ListEnterprisesRequest, ListEnterprisesResponse>("ListEnterprises", new(), fixture.Province);

            // A job's round under a Redis lock runs without it rather than failing (its writes are version-checked).
            var redis = a.Services.GetRequiredService<IConnectionMultiplexer>();
            Assert.Equal(7, await redis.RunLockedAsync("smartfactory:faults:lock", TimeSpan.FromMinutes(1), () => Task.FromResult(7), NullLogger.Instance));
        }
        finally
        {
            await fixture.Redis.StartAsync();
        }
        foreach (var host in Hosts) await WaitForReady(host, HttpStatusCode.OK, "Healthy", ("redis", "Healthy"));
        output.WriteLine($"{watch.Elapsed}: Redis back, every service healthy");

        // Shared again, and the lock is one for all again.
        await AssertSharedLimit(notice, item);
        var shared = a.Services.GetRequiredService<IConnectionMultiplexer>();
        var held = Guid.NewGuid().ToString();
        Assert.True(await shared.GetDatabase().LockTakeAsync("smartfactory:faults:lock", held, TimeSpan.FromMinutes(1)));
        Assert.Equal(0, await b.Services.GetRequiredService<IConnectionMultiplexer>()
            .RunLockedAsync("smartfactory:faults:lock", TimeSpan.FromMinutes(1), () => Task.FromResult(7), NullLogger.Instance));
        output.WriteLine($"{watch.Elapsed}: done");
    }

    [Fact]
    public async Task The_gateway_keeps_only_its_catalog_cache_and_limits_in_Redis_and_stays_ready_degraded_without_it()
    {
        Assert.NotNull(fixture.Gateway.Services.GetService<IConnectionMultiplexer>());
        await fixture.Redis.StopAsync();
        try
        {
            await WaitForReady(fixture.Notices.HttpAddress, HttpStatusCode.OK, "Degraded", ("redis", "Degraded"));
            await WaitForReady(fixture.Gateway.HttpAddress, HttpStatusCode.OK, "Degraded", ("redis", "Degraded"), ("self", "Healthy"));
        }
        finally
        {
            await fixture.Redis.StartAsync();
        }
        await WaitForReady(fixture.Gateway.HttpAddress, HttpStatusCode.OK, "Healthy", ("redis", "Healthy"));
    }

    [Fact]
    public async Task With_PostgreSQL_restarted_the_services_answer_unavailable_while_it_is_down_and_normally_after_without_a_restart()
    {
        var watch = Stopwatch.StartNew();
        var (notice, item) = await PublishedNotice(new DateOnly(2025, 6, 16), "420200");
        NoticesReplica a = fixture.Notices;
        // Connections in every pool, which the restart breaks.
        foreach (var replica in new[] { a, fixture.OtherNotices })
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.CallNotices<GetNoticeRequest, Notice>(replica, "GetNotice", new() { Id = notice.Id }, null)));
        using var gateway = fixture.Gateway.HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync($"/api/v1/notices/{notice.Id}")).StatusCode);

        await fixture.Postgres.StopAsync();
        output.WriteLine($"{watch.Elapsed}: PostgreSQL stopped");
        try
        {
            var read = await AssertStatus(StatusCode.Unavailable,
                () => fixture.CallNotices<GetNoticeRequest, Notice>(a, "GetNotice", new() { Id = notice.Id }, null));
            Assert.DoesNotContain("127.0.0.1", read.Status.Detail);
            await AssertStatus(StatusCode.Unavailable, () => Object(a, notice, item, NewClient()));
            await AssertStatus(StatusCode.Unavailable, () => fixture.CallRegistry<ListEnterprisesRequest, ListEnterprisesResponse>("ListEnterprises", new(), fixture.Province));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await gateway.GetAsync($"/api/v1/notices/{notice.Id}")).StatusCode);
            foreach (var host in Hosts)
            {
                await WaitForReady(host, HttpStatusCode.ServiceUnavailable, "Unhealthy", ("postgres", "Unhealthy"));
                using var http = new HttpClient { BaseAddress = host };
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            }
            using (var channel = a.GrpcChannel())
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await GrpcHealth(channel)).Status);
            output.WriteLine($"{watch.Elapsed}: every service unready, alive");
        }
        finally
        {
            await fixture.Postgres.StartAsync();
        }
        output.WriteLine($"{watch.Elapsed}: PostgreSQL started");
        foreach (var host in Hosts) await WaitForReady(host, HttpStatusCode.OK, "Healthy", ("postgres", "Healthy"));
        output.WriteLine($"{watch.Elapsed}: every service ready again");

        // The same processes answer reads and writes at once, each replica from a pool it rebuilt.
        foreach (var replica in new[] { a, fixture.OtherNotices })
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.CallNotices<GetNoticeRequest, Notice>(replica, "GetNotice", new() { Id = notice.Id }, null)));
        var receipt = await Object(fixture.OtherNotices, notice, item, NewClient());
        Assert.Equal(1L, await Scalar<long>($"select count(*) from notices.objections where receipt_number = '{receipt.ReceiptNumber}'"));
        await fixture.CallRegistry<ListEnterprisesRequest, ListEnterprisesResponse>("ListEnterprises", new(), fixture.Province);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync($"/api/v1/notices/{notice.Id}")).StatusCode);
        output.WriteLine($"{watch.Elapsed}: done");
    }

    [Fact]
    public async Task A_restart_between_two_calls_costs_at_most_one_retryable_answer_per_process()
    {
        var (notice, _) = await PublishedNotice(new DateOnly(2025, 6, 23), "420300");
        NoticesReplica a = fixture.Notices;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.CallNotices<GetNoticeRequest, Notice>(a, "GetNotice", new() { Id = notice.Id }, null)));
        // Nobody asks while it is down: the pool still holds the connections the restart broke.
        await fixture.Postgres.StopAsync();
        await fixture.Postgres.StartAsync();
        var answers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            try
            {
                await fixture.CallNotices<GetNoticeRequest, Notice>(a, "GetNotice", new() { Id = notice.Id }, null);
                answers.Add("OK");
            }
            catch (RpcException e) { answers.Add(e.StatusCode.ToString()); }
        }
        output.WriteLine(string.Join(", ", answers));
        Assert.All(answers.Skip(1), answer => Assert.Equal("OK", answer));
        Assert.Contains(answers[0], new[] { "OK", nameof(StatusCode.Unavailable) });
    }

    // ----- helpers

    /// <summary>The services' health endpoints.</summary>
    private IEnumerable<Uri> Hosts => [fixture.Registry.HttpAddress, fixture.Notices.HttpAddress, fixture.OtherNotices.HttpAddress];

    /// <summary>Two objections on one replica and one on the other use up the client's minute: the next is refused on either.</summary>
    private async Task AssertSharedLimit(Notice notice, string item)
    {
        var client = NewClient();
        for (var i = 0; i < Limit; i++) await Object(i % 2 == 0 ? fixture.Notices : fixture.OtherNotices, notice, item, client);
        await AssertStatus(StatusCode.ResourceExhausted, () => Object(fixture.Notices, notice, item, client));
        await AssertStatus(StatusCode.ResourceExhausted, () => Object(fixture.OtherNotices, notice, item, client));
    }

    private static string NewClient() => $"client-{Guid.NewGuid():N}";

    private Task<ObjectionReceipt> Object(NoticesReplica replica, Notice notice, string item, string client, string phone = "13800138000", string key = "") =>
        fixture.CallNotices<FileObjectionRequest, ObjectionReceipt>(replica, "FileObjection", new()
        {
            NoticeId = notice.Id, ItemId = item, ObjectorName = "张三", ContactPhone = phone, Grounds = "该工厂未建成所列场景", IdempotencyKey = key,
        }, null, client);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Ready(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Until /health/ready answers <paramref name="status"/> with these statuses (readiness follows its checks' next run).</summary>
    private static async Task WaitForReady(Uri host, HttpStatusCode status, string overall, params (string Check, string Status)[] checks)
    {
        using var http = new HttpClient { BaseAddress = host };
        var watch = Stopwatch.StartNew();
        string last = "";
        while (watch.Elapsed < Patience)
        {
            var (answered, body) = await Ready(http);
            last = $"{(int)answered} {body}";
            if (answered == status && body.GetProperty("status").GetString() == overall
                && checks.All(c => body.GetProperty("checks").TryGetProperty(c.Check, out var s) && s.GetString() == c.Status))
                return;
            await Task.Delay(200);
        }
        Assert.Fail($"{host}health/ready still answers {last}");
    }

    private static Task<HealthCheckResponse> GrpcHealth(GrpcChannel channel) =>
        new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync;

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Postgres.ConnectionString() + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// A notice with one item (an approved basic application of a new enterprise) published on <paramref name="day"/>, with
    /// the clock then on the period's first day.
    /// </summary>
    private async Task<(Notice Notice, string Item)> PublishedNotice(DateOnly day, string region)
    {
        fixture.Clock.SetChinaDate(day);
        var (approved, _) = await Applications.ApprovedBasicAsync(fixture.RegistryInvoker, fixture.Issuer, region, day);
        var city = fixture.City(region);
        var created = await fixture.CallNotices<CreateNoticeRequest, Notice>(fixture.Notices, "CreateNotice",
            new() { Title = "拟认定名单公示", ApplicationIds = { approved.Id } }, city);
        var published = await fixture.CallNotices<NoticeActionRequest, Notice>(fixture.Notices, "PublishNotice",
            new() { Id = created.Id, ExpectedVersion = created.Version }, city);
        // Objections are taken from the period's first day, the next working day.
        fixture.Clock.SetChinaDate(DateOnly.ParseExact(published.StartsOn, "yyyy-MM-dd"));
        return (published, published.Items[0].Id);
    }
}
