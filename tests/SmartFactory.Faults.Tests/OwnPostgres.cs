using System.Diagnostics;
using Npgsql;

namespace SmartFactory.Faults.Tests;

/// <summary>
/// A PostgreSQL cluster of the test's own: initdb into a temporary directory, a server on a spare loopback port with
/// password authentication, stopped and started again by the test. As root (CI) the server runs as the postgres user,
/// since PostgreSQL refuses to run as root. The shared server of the other suites is never touched.
/// </summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private const string User = "smartfactory";
    private const string Password = "faults-secret";
    private static readonly bool Root = Environment.UserName == "root";
    private readonly string directory = Directory.CreateTempSubdirectory("sf-faults-pg-").FullName;
    private string Data => Path.Combine(directory, "data");

    public int Port { get; } = Ports.Free();

    /// <summary>As the services get it: pooled, so that the pool's recovery after a restart is what is tested.</summary>
    public string ConnectionString(string database = "faults") =>
        $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database={database}";

    public async Task InitializeAsync()
    {
        // The server's user writes the data directory, its log and its socket here.
        var passwordFile = Path.Combine(directory, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (Root && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }
        await RunAsync("initdb", "-D", Data, "-U", User, $"--pwfile={passwordFile}", "--auth=scram-sha-256", "--no-sync", "-E", "UTF8",
            "--locale=C.UTF-8");
        await StartAsync();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("create database faults", connection);
        await command.ExecuteNonQueryAsync();
    }

    public Task StartAsync() => RunAsync("pg_ctl", "-D", Data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "30", "-o",
        $"-p {Port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off " +
        "-c shared_buffers=16MB -c max_connections=50", "start");

    /// <summary>A fast shutdown: the server ends every session, as a restart or a failover does.</summary>
    public Task StopAsync() => RunAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "30", "stop");

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid"))) await StopAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(BinDirectory(), tool);
        var start = Root ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", path, .. arguments]) : new ProcessStartInfo(path, arguments);
        start.WorkingDirectory = Path.GetTempPath(); // readable by the server's user, unlike the test's own directory
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await output}{await error}");
    }

    /// <summary>Debian's newest installed server (/usr/lib/postgresql/N/bin), else whatever is on the PATH.</summary>
    private static string BinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault() ?? ""
            : "";
}
