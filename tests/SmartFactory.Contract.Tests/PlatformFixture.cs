extern alias catalog;
extern alias notices;
extern alias registry;
using Grpc.Core;
using Grpc.Net.Client;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;

namespace SmartFactory.Contract.Tests;

/// <summary>The registry, the notices service, the catalog and the gateway on Kestrel, trusting a Keycloak-like issuer.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public TestIssuer Issuer { get; } = new();
    public TestDatabase Database { get; private set; } = null!;
    public ServiceHost<registry::Program> Registry { get; private set; } = null!;
    public ServiceHost<notices::Program> Notices { get; private set; } = null!;
    public ServiceHost<catalog::Program> Catalog { get; private set; } = null!;
    public ServiceHost<Program> Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Issuer.InitializeAsync();
        Database = await TestDatabase.CreateAsync();
        var settings = Settings.For(Database, Issuer);
        Registry = new ServiceHost<registry::Program>(settings).Start();
        Notices = new ServiceHost<notices::Program>(new Dictionary<string, string?>(settings)
        {
            ["Services:Registry"] = Registry.GrpcAddress.ToString(),
            ["Notices:RelayEnabled"] = "false",
            ["Notices:CloseJobEnabled"] = "false",
        }).Start();
        Catalog = new ServiceHost<catalog::Program>(new Dictionary<string, string?>(settings)
        {
            ["Services:Registry"] = Registry.GrpcAddress.ToString(),
            ["Catalog:FeedEnabled"] = "false",
        }).Start();
        Gateway = new ServiceHost<Program>(new Dictionary<string, string?>(settings)
        {
            ["Services:Registry"] = Registry.GrpcAddress.ToString(),
            ["Services:Notices"] = Notices.GrpcAddress.ToString(),
            ["Services:Catalog"] = Catalog.GrpcAddress.ToString(),
        }).Start();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Catalog.DisposeAsync();
        await Notices.DisposeAsync();
        await Registry.DisposeAsync();
        await Database.DisposeAsync();
        await Issuer.DisposeAsync();
    }

    /// <summary>Where a test's python client connects: a service's own port, or the gateway's gRPC port.</summary>
    public string Target(string name) => name switch
    {
        "registry" => $"127.0.0.1:{Registry.GrpcPort}",
        "notices" => $"127.0.0.1:{Notices.GrpcPort}",
        "catalog" => $"127.0.0.1:{Catalog.GrpcPort}",
        "gateway" => $"127.0.0.1:{Gateway.GrpcPort}",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public string Province => Issuer.Token("province", "420000");
    public string City(string region) => Issuer.Token("city", region);

    /// <summary>An enterprise of Wuhan, registered with the .NET client, for the Python client to look for.</summary>
    public async Task<Enterprise> WuhanEnterprise()
    {
        using var channel = GrpcChannel.ForAddress(Registry.GrpcAddress);
        return await new RegistryService.RegistryServiceClient(channel).RegisterEnterpriseAsync(new RegisterEnterpriseRequest
        {
            CreditCode = CreditCodes.New("420100"), Name = "武汉契约测试有限公司", RegionCode = "420100", IndustryCode = "36",
            Size = EnterpriseSize.Large, Nature = EnterpriseNature.Private,
        }, new Metadata { { "authorization", "Bearer " + Province } });
    }
}
