using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmartFactory.Grpc;
using SmartFactory.Interop.Tests.Protos;

namespace SmartFactory.Interop.Tests;

public static class Descriptors
{
    public static readonly Google.Protobuf.Reflection.ServiceDescriptor Interop = InteropReflection.Descriptor.Services.Single(s => s.Name == "Interop");
    public static readonly Google.Protobuf.Reflection.ServiceDescriptor Unimplemented = InteropReflection.Descriptor.Services.Single(s => s.Name == "Unimplemented");
    public static Google.Protobuf.Reflection.MethodDescriptor Method(string name) => Interop.FindMethodByName(name);

    public static HttpClient HttpClientFor(int port) => new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = Timeout.InfiniteTimeSpan,
    };
}

/// <summary>Our server on Kestrel: an HTTP/2-only endpoint for gRPC and an HTTP/1.1 one to show it is refused.</summary>
public sealed class OurServerFixture : IAsyncLifetime
{
    private WebApplication app = null!;
    public ServiceProbe Probe { get; } = new();
    public ListLogger Logs { get; } = new();
    public int Port { get; private set; }
    public int Http1Port { get; private set; }
    public HttpClient Http { get; private set; } = null!;

    public GrpcClient Client(GrpcClientOptions? options = null) => new(Http, options);

    public async Task InitializeAsync()
    {
        ListenOptions? h2 = null, h1 = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => (h2 = l).Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Loopback, 0, l => (h1 = l).Protocols = HttpProtocols.Http1);
        });
        builder.Logging.ClearProviders().AddProvider(Logs);
        builder.Services.AddGrpcServer(o => o.ExceptionMapper = ex => ex is KeyNotFoundException ? new RpcException(StatusCode.NotFound, "not found") : null);
        builder.Services.AddSingleton(Probe).AddScoped<InteropService>();
        app = builder.Build();
        app.MapGrpcService<InteropService>(Descriptors.Interop);
        app.MapGrpcFallback();
        await app.StartAsync();
        // Kestrel writes the bound port back into the endpoint's options.
        Port = h2!.IPEndPoint!.Port;
        Http1Port = h1!.IPEndPoint!.Port;
        Http = Descriptors.HttpClientFor(Port);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await app.DisposeAsync();
    }
}

public sealed class ListLogger : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();
    public ILogger CreateLogger(string categoryName) => this;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel)) Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
    public void Dispose() { }
}

/// <summary>Debian's python3 with grpcio; stubs are generated once per test run from the copied protos.</summary>
public static class Python
{
    private static readonly Lazy<string> Stubs = new(GenerateStubs);

    public static ProcessStartInfo StartInfo(string script, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", script));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["PYTHONPATH"] = Stubs.Value;
        return info;
    }

    /// <summary>Runs python/client.py for one case and returns the JSON it prints.</summary>
    public static async Task<JsonElement> RunClientAsync(int port, string testCase, string arg = "")
    {
        using var process = Process.Start(StartInfo("client.py", port.ToString(), testCase, arg))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"client.py {testCase} hung"); }
        if (process.ExitCode != 0) Assert.Fail($"client.py {testCase} exited with {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement;
    }

    private static string GenerateStubs()
    {
        var output = Directory.CreateTempSubdirectory("interop-stubs-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(output, recursive: true); }
            catch (IOException) { } // best effort: it is a temp directory
        };
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        var root = AppContext.BaseDirectory;
        foreach (var arg in new[] { "-m", "grpc_tools.protoc", $"-I{root}/Protos", $"-I{root}/python",
                     $"--python_out={output}", $"--grpc_python_out={output}", "interop.proto", "rpc_status.proto" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"grpc_tools.protoc failed: {error}");
    }
}

/// <summary>grpcio's server (python/server.py) on a free port; it exits when its stdin closes.</summary>
public sealed class PythonServerFixture : IAsyncLifetime
{
    private Process process = null!;
    public int Port { get; private set; }
    public HttpClient Http { get; private set; } = null!;

    public GrpcClient Client(GrpcClientOptions? options = null) => new(Http, options);

    public async Task InitializeAsync()
    {
        process = Process.Start(Python.StartInfo("server.py"))!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("PORT ")) throw new InvalidOperationException($"server.py did not start: {line} {await stderr}");
        Port = int.Parse(line["PORT ".Length..]);
        Http = Descriptors.HttpClientFor(Port);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        process.Dispose();
    }
}
