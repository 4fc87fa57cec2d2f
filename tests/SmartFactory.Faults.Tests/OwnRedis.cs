using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SmartFactory.Faults.Tests;

/// <summary>
/// A redis-server of the test's own on a spare loopback port, which the test stops and starts again on the same port.
/// The shared Redis of the other suites is never touched.
/// </summary>
public sealed class OwnRedis : IAsyncDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sf-faults-redis-").FullName;
    private Process? process;

    public int Port { get; } = Ports.Free();

    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        process = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", Port.ToString(), "--save", "", "--appendonly", "no", "--dir", directory])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            if (await PingsAsync()) return;
            if (process.HasExited) break;
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"redis-server did not answer on port {Port}");
    }

    /// <summary>Killed, as an outage is: no goodbye to the clients.</summary>
    public async Task StopAsync()
    {
        if (process is null) return;
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(directory, recursive: true);
    }

    private async Task<bool> PingsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG");
        }
        catch (SocketException) { return false; }
        catch (IOException) { return false; }
    }
}

public static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
