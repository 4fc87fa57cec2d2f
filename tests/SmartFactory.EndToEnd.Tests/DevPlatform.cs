using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SmartFactory.EndToEnd.Tests;

/// <summary>
/// A second copy of the platform started by `./dev up` itself (own ports, state folder and database), so the
/// test goes through exactly the start-up path a newcomer uses; `./dev down` stops it.
/// </summary>
public sealed class DevPlatform : IAsyncLifetime
{
    private readonly string state = Path.Combine(Path.GetTempPath(), "sf-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string database = "sf_e2e_" + Guid.NewGuid().ToString("N")[..12];

    public int GatewayPort { get; } = FreePort();
    public int GatewayGrpcPort { get; } = FreePort();
    public int RegistryPort { get; } = FreePort();
    public int NoticesPort { get; } = FreePort();
    public int CatalogPort { get; } = FreePort();
    public string UpOutput { get; private set; } = "";
    public HttpClient Http { get; private set; } = null!;

    public static string RepoRoot { get; } = Environment.GetEnvironmentVariable("SF_REPO_ROOT") ?? FindRoot();

    public async Task InitializeAsync()
    {
        var (code, output) = await Dev("up");
        UpOutput = output;
        Assert.True(code == 0, $"./dev up failed ({code}):\n{output}");
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{GatewayPort}") };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        await Dev("down");
        using var drop = Process.Start(new ProcessStartInfo("su", ["postgres", "-c", $"psql -qc 'drop database if exists {database} with (force)'"])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await drop.WaitForExitAsync();
        Directory.Delete(state, recursive: true);
    }

    public async Task<(int ExitCode, string Output)> Dev(string command)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoRoot, "dev"), [command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        start.Environment["SF_STATE_DIR"] = state;
        start.Environment["SF_DATABASE"] = database;
        start.Environment["SF_GATEWAY_PORT"] = GatewayPort.ToString();
        start.Environment["SF_GATEWAY_GRPC_PORT"] = GatewayGrpcPort.ToString();
        start.Environment["SF_REGISTRY_PORT"] = RegistryPort.ToString();
        start.Environment["SF_NOTICES_PORT"] = NoticesPort.ToString();
        start.Environment["SF_CATALOG_PORT"] = CatalogPort.ToString();
        start.Environment["SF_SKIP_BUILD"] = "1"; // `./dev test` has just built everything
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static readonly HashSet<int> HandedOut = [];

    private static int FreePort()
    {
        // A service's health port is one below its gRPC port, so keep one free below every port handed out, and never
        // hand out a port, or the one below it, that an earlier call gave away (its listener is closed by then).
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (HandedOut)
            {
                if (HandedOut.Contains(port) || HandedOut.Contains(port - 1)) continue;
            }
            try
            {
                using var below = new TcpListener(IPAddress.Loopback, port - 1);
                below.Start();
                lock (HandedOut) HandedOut.UnionWith([port, port - 1]);
                return port;
            }
            catch (SocketException) { }
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SmartFactory.Platform.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("no SmartFactory.Platform.sln above " + AppContext.BaseDirectory);
    }
}
