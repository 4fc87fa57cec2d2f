using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SmartFactory.Deployment.Tests;

/// <summary>
/// Every service in the chart is built by skaffold from the one Dockerfile, with build arguments naming its project,
/// assembly and ports, into an image that matches what the chart runs.
/// </summary>
public class ImageTests
{
    public static TheoryData<string> Services() => new(Repo.Services.Keys);

    private static readonly DockerImage Dockerfile = DockerImage.Parse(Repo.Read("Dockerfile"));

    [Fact]
    public void The_chart_deploys_the_registry_the_notices_service_and_the_gateway()
    {
        Assert.Contains("registry", Repo.Services.Keys);
        Assert.Contains("notices", Repo.Services.Keys);
        Assert.Contains("gateway", Repo.Services.Keys);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Skaffold_builds_the_service_from_the_one_Dockerfile_with_the_repository_root_as_context(string service)
    {
        var artifact = Repo.ArtifactOf(service);
        Assert.Equal(".", Yaml.String(artifact, "context"));
        Assert.Equal("Dockerfile", Repo.DockerfileOf(service));
        Assert.True(File.Exists(Repo.Full(Repo.DockerfileOf(service))));
    }

    [Fact]
    public void There_is_no_other_Dockerfile()
    {
        var dockerfiles = Directory.EnumerateFiles(Repo.Root, "*Dockerfile*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
            .Where(f => !Regex.IsMatch(f, @"(^|/)(bin|obj|\.git|\.dev)/")).ToList();
        Assert.Equal(["Dockerfile"], dockerfiles);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Each_artifact_names_an_existing_project_and_its_assembly(string service)
    {
        var project = Repo.BuildArgOf(service, "PROJECT");
        var assembly = Repo.BuildArgOf(service, "ASSEMBLY");
        Assert.True(Directory.Exists(Repo.ProjectDirOf(service)), $"PROJECT {project} of {service} is no folder");
        // The folder's one project, named after the assembly, which it does not rename.
        var csproj = Assert.Single(Directory.EnumerateFiles(Repo.ProjectDirOf(service), "*.csproj"));
        Assert.Equal($"{assembly}.csproj", Path.GetFileName(csproj));
        Assert.DoesNotContain("<AssemblyName>", File.ReadAllText(csproj));
        Assert.Contains($"{project.Replace('/', '\\')}\\{assembly}.csproj", Repo.Read("SmartFactory.Platform.sln"));
    }

    [Fact]
    public void Every_build_argument_the_Dockerfile_declares_is_required_and_passed_by_every_artifact()
    {
        var build = Dockerfile.Stages[0];
        var declared = Dockerfile.Stages.SelectMany(DockerImage.Args).ToHashSet();
        Assert.Equal(new HashSet<string> { "PROJECT", "ASSEMBLY", "HTTP_PORT", "GRPC_PORT" }, declared);
        // No defaults: a build without them stops at the first RUN, saying what to pass.
        Assert.Equal(declared.Order(), DockerImage.Args(build).Order());
        Assert.DoesNotContain(Dockerfile.Stages.SelectMany(s => s.All("ARG")), a => a.Contains('='));
        var guard = build.All("RUN").First();
        foreach (var name in declared) Assert.Contains($"test -n \"${name}\"", guard);
        Assert.Contains("exit 1", guard);
        foreach (var service in Repo.Services.Keys)
            Assert.Equal(declared.Order(), Repo.BuildArgsOf(service).Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void The_image_publishes_the_project_with_everything_its_build_reaches(string service)
    {
        var build = Dockerfile.Stages[0];
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", build.From);
        Assert.Equal("build", build.Name);
        var copied = build.All("COPY").ToList();
        Assert.Contains(copied, c => c.StartsWith("global.json Directory.Build.props Directory.Packages.props", StringComparison.Ordinal));
        Assert.Contains("${PROJECT}/ ${PROJECT}/", copied);
        Assert.Contains(build.All("RUN"), r => r.EndsWith("dotnet publish \"${PROJECT}/${ASSEMBLY}.csproj\" -c Release -o /app", StringComparison.Ordinal));

        // Every project the service's build references (transitively) lies in a folder the build stage copies.
        var folders = copied.Select(c => c.Split(' ')[^1].TrimEnd('/'))
            .Where(f => f != "./" && f != ".").Select(f => DockerImage.Expand(f, Repo.BuildArgsOf(service)))
            .Select(f => Repo.Full(f) + Path.DirectorySeparatorChar).ToList();
        var pending = new Stack<string>([Repo.CsprojOf(service)]);
        var seen = new HashSet<string>();
        while (pending.TryPop(out var csproj))
        {
            if (!seen.Add(Path.GetFullPath(csproj))) continue;
            Assert.True(folders.Any(f => Path.GetFullPath(csproj).StartsWith(f, StringComparison.Ordinal)),
                $"{Path.GetRelativePath(Repo.Root, csproj)} is outside what the Dockerfile copies for {service}");
            foreach (var reference in XDocument.Load(csproj).Descendants("ProjectReference"))
                pending.Push(Path.Combine(Path.GetDirectoryName(csproj)!, reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar)));
        }
        Assert.True(seen.Count > 1, "the service references the building blocks");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void The_image_runs_the_assembly_of_its_project_as_a_non_root_user(string service)
    {
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", Dockerfile.Final.From);
        Assert.Contains("--from=build /app ./", Dockerfile.Final.All("COPY"));
        var image = Dockerfile.Evaluate(Repo.BuildArgsOf(service));
        Assert.Equal("/app", image.Workdir);
        // dotnet publish names the entry assembly after the project file (no <AssemblyName> above).
        var assembly = Path.GetFileNameWithoutExtension(Repo.CsprojOf(service)) + ".dll";
        Assert.Equal(["dotnet", assembly], image.Process());
        // The migrations Job gives the container args ["migrate"]: they reach the service.
        Assert.Equal(["dotnet", assembly, "migrate"], image.Process("migrate"));
        Assert.Contains(image.User, new[] { "$APP_UID", "app" });
        Assert.Equal("Production", image.Env["ASPNETCORE_ENVIRONMENT"]);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void The_image_exposes_exactly_the_ports_the_chart_gives_the_container(string service)
    {
        var image = Dockerfile.Evaluate(Repo.BuildArgsOf(service));
        var ports = Yaml.Map(Repo.Services[service]["ports"]);
        Assert.Equal(["grpc", "http"], ports.Keys.Order());
        Assert.Equal(ports.Values.Select(p => int.Parse((string)p!)).Order(), image.Exposed.Order());
        // The image's own endpoint defaults listen on the same ports.
        Assert.Equal($"http://0.0.0.0:{ports["http"]}", image.Env["Endpoints__Http"]);
        Assert.Equal($"http://0.0.0.0:{ports["grpc"]}", image.Env["Endpoints__Grpc"]);
    }

    [Fact]
    public void The_Dockerfile_reader_evaluates_what_the_tests_rely_on()
    {
        var image = DockerImage.Parse("""
            # syntax=docker/dockerfile:1
            FROM base AS build
            ARG A
            FROM final
            ARG A
            ARG B=7
            WORKDIR /app
            ENV X=${A}.dll \
                Y=http://h:$B
            EXPOSE ${B} 8/tcp
            ENTRYPOINT ["/bin/sh", "-c", "exec run \"$X\" \"$@\"", "--"]
            """).Evaluate(new Dictionary<string, string> { ["A"] = "app" });
        Assert.Equal("app.dll", image.Env["X"]);
        Assert.Equal("http://h:7", image.Env["Y"]);
        Assert.Equal([7, 8], image.Exposed);
        Assert.Equal(["run", "app.dll", "one", "two words"], image.Process("one", "two words"));
        Assert.ThrowsAny<Exception>(() => DockerImage.Parse("FROM f\nARG A\nENTRYPOINT [\"x\"]").Evaluate(new Dictionary<string, string>()));
        Assert.ThrowsAny<Exception>(() => DockerImage.Parse("FROM f\nENTRYPOINT [\"/bin/sh\", \"-c\", \"exec run $X\", \"--\"]")
            .Evaluate(new Dictionary<string, string>()).Process());
    }

    [Fact]
    public void Dockerignore_keeps_build_output_local_state_and_tests_out_of_the_context()
    {
        var patterns = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();
        foreach (var required in new[] { "**/bin/", "**/obj/", ".dev/", ".git/", "tests/", "bench/" })
            Assert.Contains(required, patterns);
        // The Dockerfile copies these, so they must stay in the context.
        foreach (var kept in new[] { "protos/", "services/", "gateway/", "global.json", "Directory.Build.props", "Directory.Packages.props" })
            Assert.DoesNotContain(kept, patterns);
    }
}
