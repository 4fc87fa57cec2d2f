using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SmartFactory.Contract.Tests;

/// <summary>
/// Debian's python3-grpcio running python/contract.py, with stubs generated once per run by python3-grpc-tools: from
/// the platform's protos as they are, and from the descriptors of the standard protos (health, reflection,
/// google.rpc) that the .NET packages were built from, since Debian ships neither those protos nor their modules.
/// </summary>
public static class Python
{
    private static readonly Lazy<string> Stubs = new(GenerateStubs);

    public static async Task<JsonElement> Run(string target, string testCase, object? args = null)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "python", "contract.py"), Stubs.Value, target, testCase })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        // The arguments go in on stdin: a message over the size limit does not fit on a command line.
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(args ?? new { }));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"contract.py {testCase} hung"); }
        if (process.ExitCode != 0) Assert.Fail($"contract.py {testCase} exited with {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement;
    }

    private static string GenerateStubs()
    {
        var output = Directory.CreateTempSubdirectory("contract-stubs-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(output, recursive: true); }
            catch (IOException) { } // best effort: a temp directory
        };
        var protos = Path.Combine(AppContext.BaseDirectory, "protos");
        Protoc([$"-I{protos}", $"-I{WellKnownProtos()}", $"--python_out={output}", $"--grpc_python_out={output}",
            .. Directory.EnumerateFiles(protos, "*.proto", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(protos, f))]);

        var (set, names) = StandardDescriptors(
            Grpc.Health.V1.HealthReflection.Descriptor, Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor,
            Google.Rpc.StatusReflection.Descriptor, Google.Rpc.ErrorDetailsReflection.Descriptor);
        var setFile = Path.Combine(output, "standard.pb");
        File.WriteAllBytes(setFile, set.ToByteArray());
        Protoc([$"--descriptor_set_in={setFile}", $"--python_out={output}", $"--grpc_python_out={output}", .. names]);
        return output;
    }

    /// <summary>
    /// The files and their imports as a descriptor set; each file outside google/protobuf (which python's protobuf
    /// ships) renamed std/&lt;package&gt;_&lt;file&gt;.proto, so the modules land in std/ and not in grpc/ or google/.
    /// </summary>
    private static (FileDescriptorSet Set, List<string> Generated) StandardDescriptors(params FileDescriptor[] files)
    {
        static bool Builtin(FileDescriptor file) => file.Name.StartsWith("google/protobuf/", StringComparison.Ordinal);
        static string Renamed(FileDescriptor file) => Builtin(file) ? file.Name
            : $"std/{file.Package.Replace('.', '_')}_{Path.GetFileNameWithoutExtension(file.Name)}.proto";
        var all = new Dictionary<string, FileDescriptor>();
        void Add(FileDescriptor file)
        {
            if (!all.TryAdd(file.Name, file)) return;
            foreach (var dependency in file.Dependencies) Add(dependency);
        }
        foreach (var file in files) Add(file);
        var set = new FileDescriptorSet();
        foreach (var file in all.Values)
        {
            var proto = FileDescriptorProto.Parser.ParseFrom(file.SerializedData);
            proto.Name = Renamed(file);
            proto.Dependency.Clear();
            proto.Dependency.AddRange(file.Dependencies.Select(Renamed));
            set.File.Add(proto);
        }
        return (set, all.Values.Where(f => !Builtin(f)).Select(Renamed).ToList());
    }

    private static string WellKnownProtos()
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), '_proto'))");
        using var process = Process.Start(info)!;
        var path = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return path;
    }

    // protoc itself, without the include path `python3 -m grpc_tools.protoc` adds, which cannot go with a descriptor set.
    private static void Protoc(params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import sys; from grpc_tools import protoc; sys.exit(protoc.main(sys.argv))");
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"grpc_tools.protoc failed: {error}");
    }
}
