using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;

namespace SmartFactory.Registry.Tests;

/// <summary>The registry's real Program on Kestrel, its own database, and a Keycloak-like issuer.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    /// <summary>One scenario of each construction area of the 2025 catalog: a form that covers every level's areas.</summary>
    public static readonly string[] AllAreas = SmartFactory.Registry.Data.ReferenceFiles.Read().Edition("2025")!.Stages
        .GroupBy(s => s.Area).Select(g => g.First().Scenarios[0].Id).ToArray();

    public TestIssuer Issuer { get; } = new();
    /// <summary>The service's clock: tests that need years to pass move it (each in a year of its own).</summary>
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public TestDatabase Database { get; private set; } = null!;
    public ServiceHost<Program> Host { get; private set; } = null!;
    private GrpcChannel channel = null!;
    private CallInvoker client = null!;

    public async Task InitializeAsync()
    {
        await Issuer.InitializeAsync();
        Database = await TestDatabase.CreateAsync();
        var settings = Settings.For(Database, Issuer);
        settings["Jobs:LifecycleEnabled"] = "false"; // the tests run the daily job themselves, on their clock
        Host = new ServiceHost<Program>(settings, clock: Clock).Start();
        channel = Host.GrpcChannel();
        client = channel.CreateCallInvoker();
    }

    public async Task DisposeAsync()
    {
        channel.Dispose();
        await Host.DisposeAsync();
        await Database.DisposeAsync();
        await Issuer.DisposeAsync();
    }

    public CallInvoker Invoker => client;

    public Task<TResponse> Call<TRequest, TResponse>(string method, TRequest request, string? token)
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new() =>
        client.Unary<TRequest, TResponse>(GrpcTesting.Find(method, RegistryService.Descriptor, LifecycleService.Descriptor, DossierService.Descriptor,
            RecommendationService.Descriptor, SpotCheckService.Descriptor), request, token);

    /// <summary>Runs the daily lifecycle job now, as the scheduled one would on the clock's date.</summary>
    public Task<int> RunDailyJob() =>
        Host.Services.GetRequiredService<SmartFactory.Registry.Jobs.LifecycleJob>().RunOnceAsync(SmartFactory.Registry.Domain.BusinessDates.Today(Clock));

    public IAsyncEnumerable<Factory> StreamFactories(ListFactoriesRequest request, string token) =>
        client.ServerStreaming<ListFactoriesRequest, Factory>(RegistryService.Descriptor.FindMethodByName("StreamFactories"), request, token);

    public string Province => Issuer.Token("province", "420000");
    public string City(string region) => Issuer.Token("city", region);
    public string Ministry => Issuer.Token("ministry", "000000");
    public string EnterpriseToken(string creditCode) => Issuer.Token("enterprise", "", creditCode);

    public async Task<Enterprise> RegisterEnterprise(string token, string region = "420100", string? creditCode = null, string? name = null) =>
        await Call<RegisterEnterpriseRequest, Enterprise>("RegisterEnterprise", new RegisterEnterpriseRequest
        {
            CreditCode = creditCode ?? CreditCodes.New(region),
            Name = name ?? "企业" + Guid.NewGuid().ToString("N")[..8],
            RegionCode = region,
            IndustryCode = "36",
            Size = EnterpriseSize.Large,
            Nature = EnterpriseNature.Private,
        }, token);

    public async Task<Factory> RegisterFactory(string token, Enterprise owner, string region, string? name = null) =>
        await Call<RegisterFactoryRequest, Factory>("RegisterFactory", new RegisterFactoryRequest
        {
            EnterpriseId = owner.Id,
            Name = name ?? "工厂" + Guid.NewGuid().ToString("N")[..8],
            Address = "湖北省某地1号",
            RegionCode = region,
            IndustryCode = "36",
        }, token);
}
