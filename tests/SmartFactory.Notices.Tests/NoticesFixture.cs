extern alias registry;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Notices.Jobs;
using SmartFactory.TestSupport;

namespace SmartFactory.Notices.Tests;

/// <summary>
/// The registry and the notices service on Kestrel over one database (a schema each), on one clock the tests move,
/// with the notices service's own identity from the issuer's client-credentials endpoint. The background loops are
/// off: the tests run the relay and the closer when they choose, as a crash-and-restart test needs.
/// </summary>
public sealed class NoticesFixture : IAsyncLifetime
{
    public const string ClientId = "smartfactory-notices";
    public TestIssuer Issuer { get; } = new();
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public TestDatabase Database { get; private set; } = null!;
    public ServiceHost<registry::Program> Registry { get; private set; } = null!;
    public ServiceHost<Program> Notices { get; private set; } = null!;
    private GrpcChannel registryChannel = null!;
    private GrpcChannel noticesChannel = null!;

    public async Task InitializeAsync()
    {
        await Issuer.InitializeAsync();
        Issuer.RegisterClient(ClientId, "notices-secret");
        Database = await TestDatabase.CreateAsync();
        var settings = Settings.For(Database, Issuer);
        settings["Jobs:LifecycleEnabled"] = "false";
        Registry = new ServiceHost<registry::Program>(settings, clock: Clock).Start();
        registryChannel = Registry.GrpcChannel();
        Notices = StartNotices();
    }

    /// <summary>A notices process: a new one after <see cref="ServiceHost{T}.DisposeAsync"/> is a restart.</summary>
    public ServiceHost<Program> StartNotices()
    {
        var host = StartOtherNotices();
        noticesChannel = host.GrpcChannel(64 * 1024 * 1024);
        return host;
    }

    /// <summary>
    /// A second notices process beside <see cref="Notices"/>, on the same database, with some settings changed (e.g. a
    /// relay with a broken identity). The test disposes of it; the fixture's calls still go to <see cref="Notices"/>.
    /// </summary>
    public ServiceHost<Program> StartOtherNotices(params (string Key, string? Value)[] overrides)
    {
        var settings = Settings.For(Database, Issuer);
        settings["Services:Registry"] = Registry.GrpcAddress.ToString();
        settings["Auth:ClientId"] = ClientId;
        settings["Auth:ClientSecret"] = "notices-secret";
        settings["Notices:RelayEnabled"] = "false";
        settings["Notices:CloseJobEnabled"] = "false";
        settings["Notices:ObjectionsPerMinute"] = "5";
        foreach (var (key, value) in overrides) settings[key] = value;
        return new ServiceHost<Program>(settings, clock: Clock).Start();
    }

    public async Task RestartNotices()
    {
        await Notices.DisposeAsync();
        Notices = StartNotices();
    }

    public NoticeJobs Jobs => Notices.Services.GetRequiredService<NoticeJobs>();

    public async Task DisposeAsync()
    {
        registryChannel.Dispose();
        noticesChannel.Dispose();
        await Notices.DisposeAsync();
        await Registry.DisposeAsync();
        await Database.DisposeAsync();
        await Issuer.DisposeAsync();
    }

    /// <summary>The registry as a client calls it, for the shared helpers in TestSupport.</summary>
    public CallInvoker RegistryInvoker => registryChannel.CreateCallInvoker();

    public Task<TResponse> CallRegistry<TRequest, TResponse>(string method, TRequest request, string token)
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new() =>
        registryChannel.CreateCallInvoker().Unary<TRequest, TResponse>(
            GrpcTesting.Find(method, RegistryService.Descriptor, LifecycleService.Descriptor), request, token, ClientHeaders(null));

    public Task<TResponse> CallNotices<TRequest, TResponse>(string method, TRequest request, string? token, string? clientAddress = null)
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new() =>
        noticesChannel.CreateCallInvoker().Unary<TRequest, TResponse>(GrpcTesting.Find(method, NoticesService.Descriptor), request, token,
            ClientHeaders(clientAddress));

    // The client as the gateway forwards it; unique per call unless a test names one, because the rate limiter's
    // windows live in the shared Redis and the test clock repeats the same minutes run after run.
    private static Metadata ClientHeaders(string? clientAddress) => [new("x-forwarded-for", clientAddress ?? $"client-{Guid.NewGuid():N}")];

    public string Province => Issuer.Token("province", "420000");
    public string Ministry => Issuer.Token("ministry", "000000");
    public string City(string region) => Issuer.Token("city", region);
    public string Enterprise(string creditCode) => Issuer.Token("enterprise", "", creditCode);
}
