extern alias registry;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using SmartFactory.TestSupport;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// The gateway in front of a real registry, both on Kestrel, both trusting the test issuer and (in Development)
/// the development key the gateway signs /dev/token answers with.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public TestIssuer Issuer { get; } = new();
    public TestDatabase Database { get; private set; } = null!;
    public ServiceHost<registry::Program> Registry { get; private set; } = null!;
    public ServiceHost<Program> Gateway { get; private set; } = null!;
    public string DevelopmentKeyFile { get; } = Path.Combine(Path.GetTempPath(), $"sf-dev-key-{Guid.NewGuid():N}.pem");
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using (var rsa = RSA.Create(2048)) await File.WriteAllTextAsync(DevelopmentKeyFile, rsa.ExportRSAPrivateKeyPem());
        await Issuer.InitializeAsync();
        Database = await TestDatabase.CreateAsync();
        var settings = Settings.For(Database, Issuer);
        settings["Auth:DevelopmentKeyFile"] = DevelopmentKeyFile;
        Registry = new ServiceHost<registry::Program>(settings).Start();
        Gateway = StartGateway(settings, "Development");
        Http = Gateway.HttpClient();
    }

    public ServiceHost<Program> StartGateway(Dictionary<string, string?> settings, string environment) =>
        new ServiceHost<Program>(new Dictionary<string, string?>(settings) { ["Services:Registry"] = Registry.GrpcAddress.ToString() }, environment).Start();

    public Dictionary<string, string?> SettingsWithoutDevelopmentKey() => Settings.For(Database, Issuer);

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Registry.DisposeAsync();
        await Database.DisposeAsync();
        await Issuer.DisposeAsync();
        File.Delete(DevelopmentKeyFile);
    }

    public async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Http.SendAsync(request);
    }
}
