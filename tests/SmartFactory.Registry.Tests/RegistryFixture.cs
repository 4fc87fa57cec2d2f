using Google.Protobuf;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Grpc;
using Microsoft.Extensions.DependencyInjection;
using SmartFactory.TestSupport;

namespace SmartFactory.Registry.Tests;

/// <summary>The registry's real Program on Kestrel, its own database, and a Keycloak-like issuer.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public TestIssuer Issuer { get; } = new();
    /// <summary>The service's clock: tests that need years to pass move it (each in a year of its own).</summary>
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public TestDatabase Database { get; private set; } = null!;
    public ServiceHost<Program> Host { get; private set; } = null!;
    private GrpcClient client = null!;

    public async Task InitializeAsync()
    {
        await Issuer.InitializeAsync();
        Database = await TestDatabase.CreateAsync();
        var settings = Settings.For(Database, Issuer);
        settings["Jobs:LifecycleEnabled"] = "false"; // the tests run the daily job themselves, on their clock
        Host = new ServiceHost<Program>(settings, clock: Clock).Start();
        client = Host.GrpcClient();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
        await Issuer.DisposeAsync();
    }

    public Task<TResponse> Call<TRequest, TResponse>(string method, TRequest request, string? token)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>, new()
    {
        var headers = new Metadata();
        if (token is not null) headers.Add("authorization", "Bearer " + token);
        var descriptor = RegistryReflection.Descriptor.Services[0].FindMethodByName(method)
            ?? LifecycleReflection.Descriptor.Services[0].FindMethodByName(method)
            ?? throw new ArgumentException($"no registry method {method}", nameof(method));
        return client.UnaryAsync<TRequest, TResponse>(descriptor, request, new CallOptions(headers, DateTime.UtcNow.AddSeconds(20)));
    }

    /// <summary>Runs the daily lifecycle job now, as the scheduled one would on the clock's date.</summary>
    public Task<int> RunDailyJob() =>
        Host.Services.GetRequiredService<SmartFactory.Registry.Jobs.LifecycleJob>().RunOnceAsync(SmartFactory.Registry.Domain.BusinessDates.Today(Clock));

    public IAsyncEnumerable<Factory> StreamFactories(ListFactoriesRequest request, string token) =>
        client.ServerStreamingAsync<ListFactoriesRequest, Factory>(RegistryReflection.Descriptor.Services[0].FindMethodByName("StreamFactories"),
            request, new CallOptions(new Metadata { { "authorization", "Bearer " + token } }, DateTime.UtcNow.AddSeconds(20)));

    public string Province => Issuer.Token("province", "420000");
    public string City(string region) => Issuer.Token("city", region);
    public string Ministry => Issuer.Token("ministry", "000000");
    public string EnterpriseToken(string creditCode) => Issuer.Token("enterprise", "", creditCode);

    public async Task<Enterprise> RegisterEnterprise(string token, string region = "420100", string? creditCode = null, string? name = null) =>
        await Call<RegisterEnterpriseRequest, Enterprise>("RegisterEnterprise", new RegisterEnterpriseRequest
        {
            CreditCode = creditCode ?? Scopes.NewCreditCode(region),
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
