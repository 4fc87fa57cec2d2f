using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace SmartFactory.TestSupport;

/// <summary>
/// Runs a service's real Program on real Kestrel (HTTP/2 gRPC port and HTTP/1.1 port on loopback), configured by
/// <paramref name="settings"/>, as a test fixture would use it.
/// </summary>
public sealed class ServiceHost<TProgram>(IReadOnlyDictionary<string, string?> settings, string environment = "Development",
    TimeProvider? clock = null) : WebApplicationFactory<TProgram> where TProgram : class
{
    public int GrpcPort { get; } = FreePort();
    public int HttpPort { get; } = FreePort();

    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");
    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort}");

    public ServiceHost<TProgram> Start()
    {
        UseKestrel();
        StartServer();
        return this;
    }

    /// <summary>A grpc-dotnet channel over a real h2c connection to this host.</summary>
    public GrpcChannel GrpcChannel(int maxReceiveBytes = 4 * 1024 * 1024) =>
        Grpc.Net.Client.GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = maxReceiveBytes });

    public HttpClient HttpClient() => new() { BaseAddress = HttpAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Endpoints:Grpc", GrpcAddress.ToString());
        builder.UseSetting("Endpoints:Http", HttpAddress.ToString());
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (clock is not null) builder.ConfigureTestServices(services => services.AddSingleton(clock));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
