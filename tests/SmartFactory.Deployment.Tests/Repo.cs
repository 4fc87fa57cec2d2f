using System.Reflection;
using System.Text.Json;
using SmartFactory.ServiceDefaults;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SmartFactory.Deployment.Tests;

/// <summary>The repository as files (the chart, skaffold.yaml, the Dockerfile, appsettings.json) and the services' settings as code.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();
    public static readonly string Chart = Path.Combine(Root, "charts", "smartfactory");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SmartFactory.Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no SmartFactory.Platform.sln above {AppContext.BaseDirectory}");
    }

    public static string Full(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(Full(relative));

    public static string Template(string name) => File.ReadAllText(Path.Combine(Chart, "templates", name));

    public static IEnumerable<string> Templates() => Directory.EnumerateFiles(Path.Combine(Chart, "templates"));

    public static Dictionary<string, object?> Values { get; } = Yaml.Map(Yaml.Parse(File.ReadAllText(Path.Combine(Chart, "values.yaml"))));

    public static Dictionary<string, object?> Skaffold { get; } = Yaml.Map(Yaml.Parse(Read("skaffold.yaml")));

    /// <summary>Enabled services of the chart, by their key in values.yaml.</summary>
    public static IReadOnlyDictionary<string, Dictionary<string, object?>> Services { get; } =
        Yaml.Map(Values["services"]).Where(s => Yaml.Bool(Yaml.Map(s.Value), "enabled"))
            .ToDictionary(s => s.Key, s => Yaml.Map(s.Value));

    public static IEnumerable<Dictionary<string, object?>> Artifacts() =>
        Yaml.List(Yaml.Get(Skaffold, "build.artifacts")).Select(Yaml.Map);

    /// <summary>The skaffold artifact that builds a service's image.</summary>
    public static Dictionary<string, object?> ArtifactOf(string service)
    {
        var repository = Yaml.String(Services[service], "image.repository");
        return Artifacts().SingleOrDefault(a => Yaml.String(a, "image") == repository)
            ?? throw new Xunit.Sdk.XunitException($"skaffold.yaml builds no image '{repository}' for service '{service}'");
    }

    public static string DockerfileOf(string service) => Yaml.String(ArtifactOf(service), "docker.dockerfile");

    /// <summary>The build arguments skaffold passes for the service's image (PROJECT, ASSEMBLY, HTTP_PORT, GRPC_PORT).</summary>
    public static Dictionary<string, string> BuildArgsOf(string service) =>
        Yaml.Map(Yaml.Get(ArtifactOf(service), "docker.buildArgs")).ToDictionary(a => a.Key, a => a.Value as string
            ?? throw new Xunit.Sdk.XunitException($"build argument {a.Key} of {service} is not text"));

    public static string BuildArgOf(string service, string name) =>
        BuildArgsOf(service).GetValueOrDefault(name) ?? throw new Xunit.Sdk.XunitException($"skaffold.yaml passes no {name} for {service}");

    /// <summary>The service's project folder: the PROJECT build argument of its image.</summary>
    public static string ProjectDirOf(string service) => Full(BuildArgOf(service, "PROJECT"));

    /// <summary>The project the image publishes: ASSEMBLY.csproj in the PROJECT folder.</summary>
    public static string CsprojOf(string service) => Path.Combine(ProjectDirOf(service), BuildArgOf(service, "ASSEMBLY") + ".csproj");

    /// <summary>The service's assembly, the one its image runs (ASSEMBLY).</summary>
    public static Assembly AssemblyOf(string service) => Assembly.Load(BuildArgOf(service, "ASSEMBLY"));

    /// <summary>
    /// The service's settings class: the one public static class named *Settings in its assembly's root namespace
    /// (RegistrySettings, NoticesSettings, GatewaySettings), holding what a deployment relies on beyond
    /// <see cref="ServiceSettings"/>.
    /// </summary>
    public static Type SettingsOf(string service)
    {
        var assembly = AssemblyOf(service);
        var name = assembly.GetName().Name;
        var types = assembly.GetExportedTypes()
            .Where(t => t.Namespace == name && t.DeclaringType is null && t.IsAbstract && t.IsSealed && t.Name.EndsWith("Settings", StringComparison.Ordinal)).ToList();
        return types.Count == 1 ? types[0]
            : throw new Xunit.Sdk.XunitException($"{name} has {types.Count} public static classes named *Settings in its root namespace; expected one");
    }

    /// <summary>The schema a service owns (the Schema constant of its settings), or null for a service without a database.</summary>
    public static string? SchemaOf(string service) => SettingsOf(service).GetField("Schema")?.GetRawConstantValue() as string;

    /// <summary>The string constants of a class (configuration keys, in the Keys classes).</summary>
    public static IEnumerable<string> Constants(Type? type) =>
        type is null ? [] : type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>
    /// Configuration keys a service can read: its appsettings.json, the building blocks' keys
    /// (<see cref="ServiceSettings.Keys"/>) and its own (the Keys class of <see cref="SettingsOf"/>).
    /// </summary>
    public static HashSet<string> ConfigurationKeysOf(string service)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var settings = Path.Combine(ProjectDirOf(service), "appsettings.json");
        if (File.Exists(settings))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(settings));
            Flatten(json.RootElement, "", keys);
        }
        keys.UnionWith(Constants(typeof(ServiceSettings.Keys)));
        keys.UnionWith(Constants(SettingsOf(service).GetNestedType("Keys")));
        return keys;
    }

    private static void Flatten(JsonElement element, string prefix, HashSet<string> keys)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            keys.Add(prefix);
            return;
        }
        foreach (var property in element.EnumerateObject())
        {
            var key = prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}";
            keys.Add(key);
            Flatten(property.Value, key, keys);
        }
    }
}

/// <summary>
/// values.yaml, skaffold.yaml and Chart.yaml read with YamlDotNet into plain maps (in file order), lists and strings:
/// every scalar stays the text it is (so "true" and "5100" compare as written), a plain empty, ~ or null is null.
/// The chart's templates are Go templates, not YAML: the tests read those as text.
/// </summary>
public static class Yaml
{
    public static object? Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var document = Assert.Single(stream.Documents);
        return Convert(document.RootNode);
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ToMap(map),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" } => null,
        YamlScalarNode scalar => scalar.Value,
        _ => throw new Xunit.Sdk.XunitException($"unexpected YAML node {node.NodeType} at {node.Start}"),
    };

    private static Dictionary<string, object?> ToMap(YamlMappingNode node)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw new Xunit.Sdk.XunitException($"a YAML key that is not a scalar at {key.Start}");
            if (!map.TryAdd(name, Convert(value))) throw new Xunit.Sdk.XunitException($"duplicate YAML key '{name}' at {key.Start}");
        }
        return map;
    }

    public static Dictionary<string, object?> Map(object? node) =>
        node as Dictionary<string, object?> ?? throw new Xunit.Sdk.XunitException($"expected a YAML map, found {node ?? "nothing"}");

    public static List<object?> List(object? node) =>
        node as List<object?> ?? throw new Xunit.Sdk.XunitException($"expected a YAML list, found {node ?? "nothing"}");

    /// <summary>Follows a dotted path of map keys; null where it leads nowhere.</summary>
    public static object? Get(Dictionary<string, object?> map, string path)
    {
        object? node = map;
        foreach (var part in path.Split('.'))
        {
            if (node is not Dictionary<string, object?> current || !current.TryGetValue(part, out node)) return null;
        }
        return node;
    }

    public static string String(Dictionary<string, object?> map, string path) =>
        Get(map, path) as string ?? throw new Xunit.Sdk.XunitException($"'{path}' is not set");

    public static bool Bool(Dictionary<string, object?> map, string path) => Get(map, path) is "true";

    public static int Int(Dictionary<string, object?> map, string path) => int.Parse(String(map, path));
}
