extern alias gateway;
extern alias notices;
extern alias registry;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;

namespace SmartFactory.Faults.Tests;

/// <summary>
/// The registry, two replicas of the notices service and the gateway, as real processes on Kestrel, over a PostgreSQL
/// and a Redis of the fixture's own that the tests stop and start again. The background loops are off: the tests ask
/// for what they check.
/// </summary>
public sealed class FaultsFixture : IAsyncLifetime
{
    public const string ClientId = "smartfactory-notices";
    /// <summary>Objections one client may file per minute: the fourth is refused.</summary>
    public const int ObjectionsPerMinute = 3;

    public TestIssuer Issuer { get; } = new();
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public OwnRedis Redis { get; } = new();
    public OwnPostgres Postgres { get; } = new();
    public ServiceHost<registry::Program> Registry { get; private set; } = null!;
    /// <summary>Two replicas of the notices service on one database and one Redis, as behind a load balancer.</summary>
    public ServiceHost<notices::Program> Notices { get; private set; } = null!;
    public ServiceHost<notices::Program> OtherNotices { get; private set; } = null!;
    public ServiceHost<gateway::Program> Gateway { get; private set; } = null!;
    private readonly Dictionary<Uri, GrpcChannel> channels = [];

    public async Task InitializeAsync()
    {
        await Issuer.InitializeAsync();
        Issuer.RegisterClient(ClientId, "notices-secret");
        await Task.WhenAll(Redis.StartAsync(), Postgres.InitializeAsync());
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = Postgres.ConnectionString(),
            ["ConnectionStrings:Redis"] = Redis.ConnectionString,
            ["Auth:Authority"] = Issuer.Authority,
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Auth:Audience"] = TestIssuer.Audience,
            ["Jobs:LifecycleEnabled"] = "false",
        };
        Registry = new ServiceHost<registry::Program>(settings, clock: Clock).Start();
        var notices = new Dictionary<string, string?>(settings)
        {
            ["Services:Registry"] = Registry.GrpcAddress.ToString(),
            ["Auth:ClientId"] = ClientId,
            ["Auth:ClientSecret"] = "notices-secret",
            ["Notices:RelayEnabled"] = "false",
            ["Notices:CloseJobEnabled"] = "false",
            ["Notices:ObjectionsPerMinute"] = ObjectionsPerMinute.ToString(),
        };
        Notices = new ServiceHost<notices::Program>(notices, clock: Clock).Start();
        OtherNotices = new ServiceHost<notices::Program>(notices, clock: Clock).Start();
        // Given a Redis as every process is in the chart: the catalog's cache and limits use it, readiness reports it as degraded when down.
        Gateway = new ServiceHost<gateway::Program>(new Dictionary<string, string?>(settings)
        {
            ["Services:Registry"] = Registry.GrpcAddress.ToString(),
            ["Services:Notices"] = Notices.GrpcAddress.ToString(),
        }).Start();
    }

    public async Task DisposeAsync()
    {
        // After a failed start too, so that the servers it did start stop and the first error is the one reported.
        foreach (var channel in channels.Values) channel.Dispose();
        foreach (var host in new IAsyncDisposable?[] { Gateway, OtherNotices, Notices, Registry })
            if (host is not null) await host.DisposeAsync();
        await Task.WhenAll(Redis.DisposeAsync().AsTask(), Postgres.DisposeAsync().AsTask());
        await Issuer.DisposeAsync();
    }

    /// <summary>The registry as a client calls it, for the shared helpers in TestSupport.</summary>
    public CallInvoker RegistryInvoker => Channel(Registry.GrpcAddress).CreateCallInvoker();

    public Task<TResponse> CallRegistry<TRequest, TResponse>(string method, TRequest request, string token)
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new() =>
        Channel(Registry.GrpcAddress).CreateCallInvoker().Unary<TRequest, TResponse>(
            GrpcTesting.Find(method, RegistryService.Descriptor, LifecycleService.Descriptor), request, token);

    /// <summary>A call to one notices replica, from <paramref name="client"/> as the gateway forwards it.</summary>
    public Task<TResponse> CallNotices<TRequest, TResponse>(ServiceHost<notices::Program> replica, string method, TRequest request, string? token,
        string client = "client-fixture")
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new() =>
        Channel(replica.GrpcAddress).CreateCallInvoker().Unary<TRequest, TResponse>(GrpcTesting.Find(method, NoticesService.Descriptor), request,
            token, [new("x-forwarded-for", client)]);

    public string Province => Issuer.Token("province", "420000");
    public string City(string region) => Issuer.Token("city", region);

    private GrpcChannel Channel(Uri address)
    {
        lock (channels)
        {
            if (!channels.TryGetValue(address, out var channel)) channels[address] = channel = GrpcChannel.ForAddress(address);
            return channel;
        }
    }
}
