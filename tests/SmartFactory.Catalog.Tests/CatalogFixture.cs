extern alias registry;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using SmartFactory.Catalog.Jobs;
using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;

namespace SmartFactory.Catalog.Tests;

/// <summary>
/// The registry and the catalog on Kestrel over one database (a schema each), with the catalog's own identity from the
/// issuer's client-credentials endpoint. The feed puller's loop is off: the tests pull when they choose.
/// </summary>
public class CatalogFixture : IAsyncLifetime
{
    public const string ClientId = "smartfactory-catalog";
    public TestIssuer Issuer { get; } = new();
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public TestDatabase Database { get; private set; } = null!;
    public ServiceHost<registry::Program> Registry { get; private set; } = null!;
    public ServiceHost<Program> Catalog { get; private set; } = null!;
    private GrpcChannel registryChannel = null!;
    private GrpcChannel catalogChannel = null!;

    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime.AddHours(8));

    public virtual async Task InitializeAsync()
    {
        await Issuer.InitializeAsync();
        Issuer.RegisterClient(ClientId, "catalog-secret");
        Database = await TestDatabase.CreateAsync();
        var settings = Settings.For(Database, Issuer);
        settings["Jobs:LifecycleEnabled"] = "false";
        Registry = new ServiceHost<registry::Program>(settings, clock: Clock).Start();
        registryChannel = Registry.GrpcChannel();
        Catalog = StartCatalog();
    }

    /// <summary>A catalog process: a new one after disposing of the last is a restart.</summary>
    public ServiceHost<Program> StartCatalog()
    {
        var settings = Settings.For(Database, Issuer);
        settings["Services:Registry"] = Registry.GrpcAddress.ToString();
        settings["Auth:ClientId"] = ClientId;
        settings["Auth:ClientSecret"] = "catalog-secret";
        settings["Catalog:FeedEnabled"] = "false";
        Configure(settings);
        var host = new ServiceHost<Program>(settings, clock: Clock).Start();
        catalogChannel?.Dispose();
        catalogChannel = host.GrpcChannel();
        return host;
    }

    /// <summary>The catalog's settings beyond these (another search engine).</summary>
    protected virtual void Configure(Dictionary<string, string?> settings) { }

    public async Task RestartCatalog()
    {
        await Catalog.DisposeAsync();
        Catalog = StartCatalog();
    }

    public FeedPuller Feed => Catalog.Services.GetRequiredService<FeedPuller>();

    public virtual async Task DisposeAsync()
    {
        registryChannel.Dispose();
        catalogChannel.Dispose();
        await Catalog.DisposeAsync();
        await Registry.DisposeAsync();
        await Database.DisposeAsync();
        await Issuer.DisposeAsync();
    }

    public CallInvoker RegistryInvoker => registryChannel.CreateCallInvoker();

    public Task<TResponse> CallRegistry<TRequest, TResponse>(string method, TRequest request, string token)
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new() =>
        registryChannel.CreateCallInvoker().Unary<TRequest, TResponse>(
            GrpcTesting.Find(method, RegistryService.Descriptor, LifecycleService.Descriptor), request, token);

    /// <summary>The catalog as the public calls it: no token unless one is given.</summary>
    public Task<TResponse> CallCatalog<TRequest, TResponse>(string method, TRequest request, string? token = null)
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new() =>
        catalogChannel.CreateCallInvoker().Unary<TRequest, TResponse>(GrpcTesting.Find(method, CatalogService.Descriptor), request, token);

    public string Province => Issuer.Token("province", "420000");
    public string Ministry => Issuer.Token("ministry", "000000");
    public string City(string region) => Issuer.Token("city", region);
    public string Service => Issuer.ServiceToken("smartfactory-notices");

    /// <summary>
    /// A basic recognition of a new enterprise's factory in <paramref name="region"/>, taken effect after publicity (the
    /// notices relay's command, with the service token), its factory and enterprise renamed first to the given names.
    /// </summary>
    public async Task<(Recognition Recognition, Factory Factory, Enterprise Enterprise)> RecognizedBasicAsync(string region, string factoryName,
        string enterpriseName, string industry = "36")
    {
        var (approved, _) = await Applications.ApprovedBasicAsync(RegistryInvoker, Issuer, region, Today);
        var factory = await CallRegistry<GetFactoryRequest, Factory>("GetFactory", new() { Id = approved.FactoryId }, Province);
        factory = await CallRegistry<UpdateFactoryRequest, Factory>("UpdateFactory", new()
        {
            Id = factory.Id, ExpectedVersion = factory.Version, Name = factoryName, Address = factory.Address, RegionCode = region, IndustryCode = industry,
        }, Province);
        var enterprise = await CallRegistry<GetEnterpriseRequest, Enterprise>("GetEnterprise", new() { Id = factory.EnterpriseId }, Province);
        enterprise = await CallRegistry<UpdateEnterpriseRequest, Enterprise>("UpdateEnterprise", new()
        {
            Id = enterprise.Id, ExpectedVersion = enterprise.Version, Name = enterpriseName, RegionCode = enterprise.RegionCode,
            IndustryCode = enterprise.IndustryCode, Size = enterprise.Size, Nature = enterprise.Nature,
        }, Province);
        var recognition = await CallRegistry<TakeEffectRequest, Recognition>("TakeEffect",
            new() { ApplicationId = approved.Id, RequestId = $"notice-test:{approved.Id}" }, Service);
        return (recognition, factory, enterprise);
    }
}
