using System.Text.RegularExpressions;

namespace SmartFactory.Deployment.Tests;

/// <summary>Each service in the chart is built by skaffold from a Dockerfile that matches what the chart runs.</summary>
public class ImageTests
{
    public static TheoryData<string> Services() => new(Repo.Services.Keys);

    [Fact]
    public void The_chart_deploys_the_registry_the_notices_service_and_the_gateway()
    {
        Assert.Contains("registry", Repo.Services.Keys);
        Assert.Contains("notices", Repo.Services.Keys);
        Assert.Contains("gateway", Repo.Services.Keys);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Skaffold_builds_the_service_from_its_Dockerfile_with_the_repository_root_as_context(string service)
    {
        var artifact = Repo.ArtifactOf(service);
        Assert.Equal(".", Yaml.String(artifact, "context"));
        var dockerfile = Repo.DockerfileOf(service);
        Assert.True(File.Exists(Repo.Full(dockerfile)), $"{dockerfile} does not exist");
        Assert.Single(Directory.EnumerateFiles(Repo.ProjectDirOf(service), "*.csproj"));
    }

    [Fact]
    public void Every_skaffold_artifact_is_a_service_of_the_chart_and_sets_its_image()
    {
        var repositories = Repo.Services.ToDictionary(s => Yaml.String(s.Value, "image.repository"), s => s.Key);
        var release = Yaml.Map(Yaml.List(Yaml.Get(Repo.Skaffold, "deploy.helm.releases")).Single());
        var templates = Yaml.Map(release["setValueTemplates"]);
        foreach (var artifact in Repo.Artifacts())
        {
            var image = Yaml.String(artifact, "image");
            Assert.True(repositories.TryGetValue(image, out var service), $"skaffold builds {image}, which no service in values.yaml uses");
            // Skaffold names the template variables after the image, with / and - turned into _.
            var variable = Regex.Replace(image, "[/\\-.]", "_");
            Assert.Equal($"{{{{.IMAGE_REPO_{variable}}}}}", templates[$"services.{service}.image.repository"]);
            Assert.Equal($"{{{{.IMAGE_TAG_{variable}}}}}", templates[$"services.{service}.image.tag"]);
        }
        Assert.Equal(Repo.Services.Count, Repo.Artifacts().Count());
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Dockerfile_exposes_exactly_the_ports_the_chart_gives_the_container(string service)
    {
        var dockerfile = Repo.Read(Repo.DockerfileOf(service));
        var exposed = Regex.Matches(dockerfile, @"^EXPOSE\s+(.+)$", RegexOptions.Multiline)
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p.Split('/')[0])).Order().ToList();
        var ports = Yaml.Map(Repo.Services[service]["ports"]);
        Assert.Equal(["grpc", "http"], ports.Keys.Order());
        Assert.Equal(ports.Values.Select(p => int.Parse((string)p!)).Order(), exposed);
        // The image's own endpoint defaults listen on the same ports.
        Assert.Contains($"Endpoints__Http=http://0.0.0.0:{ports["http"]}", dockerfile);
        Assert.Contains($"Endpoints__Grpc=http://0.0.0.0:{ports["grpc"]}", dockerfile);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Dockerfile_publishes_the_project_and_runs_its_assembly_as_a_non_root_user(string service)
    {
        var dockerfile = Repo.Read(Repo.DockerfileOf(service));
        var csproj = Path.GetRelativePath(Repo.Root, Repo.CsprojOf(service)).Replace('\\', '/');
        var projectDir = Path.GetDirectoryName(csproj)!.Replace('\\', '/');
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0$", dockerfile);
        // Everything the project's build reaches outside its own folder.
        Assert.Matches(@"(?m)^COPY global\.json Directory\.Build\.props Directory\.Packages\.props", dockerfile);
        Assert.Contains("COPY protos/ protos/", dockerfile);
        Assert.Contains("COPY services/BuildingBlocks/ services/BuildingBlocks/", dockerfile);
        Assert.Contains($"COPY {projectDir}/ {projectDir}/", dockerfile);
        Assert.Contains($"dotnet publish {csproj} -c Release -o /app", dockerfile);
        var user = Regex.Matches(dockerfile, @"^USER\s+(\S+)$", RegexOptions.Multiline).Last().Groups[1].Value;
        Assert.Contains(user, new[] { "$APP_UID", "app" });
        var assembly = Path.GetFileNameWithoutExtension(csproj);
        Assert.Matches($@"(?m)^ENTRYPOINT \[""dotnet"", ""{Regex.Escape(assembly)}\.dll""\]$", dockerfile);
        Assert.DoesNotContain("<AssemblyName>", File.ReadAllText(Repo.CsprojOf(service)));
    }

    [Fact]
    public void Dockerignore_keeps_build_output_local_state_and_tests_out_of_the_context()
    {
        var patterns = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();
        foreach (var required in new[] { "**/bin/", "**/obj/", ".dev/", ".git/", "tests/", "bench/" })
            Assert.Contains(required, patterns);
        // The Dockerfiles copy these, so they must stay in the context.
        foreach (var kept in new[] { "protos/", "services/", "gateway/", "global.json", "Directory.Build.props", "Directory.Packages.props" })
            Assert.DoesNotContain(kept, patterns);
    }
}
