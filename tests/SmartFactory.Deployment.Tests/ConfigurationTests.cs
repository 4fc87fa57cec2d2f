using System.Text.RegularExpressions;
using SmartFactory.Gateway;
using SmartFactory.Notices;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.Deployment.Tests;

/// <summary>What the chart puts in a service's environment is configuration the service actually reads.</summary>
public class ConfigurationTests
{
    public static TheoryData<string> Services() => new(Repo.Services.Keys);

    // Templates that write a service's environment (ConfigMap, Secret, the migrations Job).
    private static readonly string[] EnvTemplates = ["configmap.yaml", "secret.yaml", "migrations-job.yaml", "deployment.yaml"];

    /// <summary>Environment variable names the chart can give this service, as configuration keys (__ -> :).</summary>
    private static List<string> ChartKeysFor(string service)
    {
        var text = string.Join("\n", EnvTemplates.Select(Repo.Template));
        // Literal names only: "Gateway__Proxy__{{ $key }}" is a name per key, added below.
        var names = Regex.Matches(text, @"\b([A-Za-z][A-Za-z0-9]*(?:__[A-Za-z0-9]+)+)\b(?!__\{\{)").Select(m => m.Value).ToHashSet();
        var svc = Repo.Services[service];
        // The client secret goes only to a service that names its realm value.
        if (Yaml.Get(svc, "realmClientSecret") is null) names.Remove("Auth__ClientSecret");
        // Services__{{ $key }} for each upstream, Gateway__Proxy__{{ $key }} for each proxied one, and the free-form env map.
        if (Yaml.Get(svc, "upstreams") is Dictionary<string, object?> upstreams)
            names.UnionWith(upstreams.Keys.Select(k => $"Services__{k}"));
        if (Yaml.Get(svc, "proxyUpstreams") is Dictionary<string, object?> proxied)
            names.UnionWith(proxied.Keys.Select(k => $"Gateway__Proxy__{k}"));
        if (Yaml.Get(svc, "env") is Dictionary<string, object?> env) names.UnionWith(env.Keys);
        return names.Select(n => n.Replace("__", ":")).Order().ToList();
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Every_variable_the_chart_sets_is_a_key_the_service_reads(string service)
    {
        var readable = Repo.ConfigurationKeysOf(service);
        var unknown = ChartKeysFor(service).Where(k => !readable.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, $"the chart sets {string.Join(", ", unknown)} for {service}, which reads none of them");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void The_chart_sets_what_every_service_needs_in_a_cluster(string service)
    {
        var keys = ChartKeysFor(service);
        foreach (var key in new[] { "Endpoints:Http", "Endpoints:Grpc", "ConnectionStrings:Redis", "Auth:Authority", "Auth:Audience", "Auth:RequireHttpsMetadata" })
            Assert.Contains(key, keys);
        var configmap = Repo.Template("configmap.yaml");
        // Both endpoints on all interfaces, on the ports the container declares.
        Assert.Contains("Endpoints__Http: {{ printf \"http://0.0.0.0:%v\" $svc.ports.http | quote }}", configmap);
        Assert.Contains("Endpoints__Grpc: {{ printf \"http://0.0.0.0:%v\" $svc.ports.grpc | quote }}", configmap);
    }

    [Fact]
    public void The_code_reads_the_keys_the_chart_relies_on()
    {
        // Guards the key sets themselves: if they lost these, the test above would prove nothing.
        var registry = Repo.ConfigurationKeysOf("registry");
        foreach (var key in new[] { "Endpoints:Grpc", "Endpoints:Http", "ConnectionStrings:Postgres", "ConnectionStrings:Redis", "Auth:Authority", "Auth:Audience", "Auth:RequireHttpsMetadata" })
            Assert.Contains(key, registry);
        Assert.Contains("Services:Registry", Repo.ConfigurationKeysOf("gateway"));
        Assert.DoesNotContain("Services:Registry", registry);
        var notices = Repo.ConfigurationKeysOf("notices");
        foreach (var key in new[] { "Services:Registry", "Auth:ClientId", "Auth:ClientSecret", "ConnectionStrings:Postgres", "Notices:RelayIntervalSeconds", "Notices:CloseIntervalMinutes" })
            Assert.Contains(key, notices);
    }

    [Fact]
    public void Every_option_of_the_notices_service_and_every_gateway_cluster_has_its_key()
    {
        // The options bound from the Notices section, property by property.
        var options = typeof(SmartFactory.Notices.Grpc.NoticesOptions).GetProperties().Select(p => $"{NoticesSettings.OptionsSection}:{p.Name}").ToList();
        Assert.NotEmpty(options);
        Assert.All(options, key => Assert.Contains(key, Repo.Constants(typeof(NoticesSettings.Keys))));
        // Each service the gateway calls has its address key, and its YARP destination key.
        Assert.All(GatewaySettings.Clusters, cluster => Assert.Contains($"Services:{cluster}", Repo.Constants(typeof(GatewaySettings.Keys))));
        Assert.All(GatewaySettings.Clusters, cluster => Assert.Contains($"Gateway:Proxy:{cluster}", Repo.Constants(typeof(GatewaySettings.Keys))));
    }

    [Fact]
    public void Notices_calls_the_registry_and_the_gateway_calls_notices_on_their_grpc_ports()
    {
        Assert.Equal("registry", Yaml.String(Repo.Services["notices"], "upstreams.Registry"));
        Assert.Equal("notices", Yaml.String(Repo.Services["gateway"], "upstreams.Notices"));
        using var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.ProjectDirOf("notices"), "appsettings.json")));
        var endpoints = settings.RootElement.GetProperty("Endpoints");
        // The chart's ports are the ones the service listens on when run locally.
        Assert.EndsWith($":{Yaml.String(Repo.Services["notices"], "ports.grpc")}", endpoints.GetProperty("Grpc").GetString());
        Assert.EndsWith($":{Yaml.String(Repo.Services["notices"], "ports.http")}", endpoints.GetProperty("Http").GetString());
        Assert.EndsWith($":{Yaml.String(Repo.Services["registry"], "ports.grpc")}", settings.RootElement.GetProperty("Services").GetProperty("Registry").GetString());
    }

    [Fact]
    public void The_notices_client_secret_reaches_the_service_and_the_realm_from_one_value()
    {
        // The service signs in as the realm's client named by Auth__ClientId ...
        var notices = Repo.Services["notices"];
        var clientId = Yaml.String(notices, "env.Auth__ClientId");
        using var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.ProjectDirOf("notices"), "appsettings.json")));
        Assert.Equal(clientId, settings.RootElement.GetProperty("Auth").GetProperty("ClientId").GetString());
        using var realm = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Chart, "files", "realm-smartfactory.json")));
        var client = realm.RootElement.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == clientId);
        var placeholder = Regex.Match(client.GetProperty("secret").GetString()!, @"^\$\(env:(\w+)\)$").Groups[1].Value;
        Assert.Equal("SMARTFACTORY_NOTICES_CLIENT_SECRET", placeholder);

        // ... whose secret the realm import takes from keycloakRealm.<value> ...
        var value = Yaml.String(notices, "realmClientSecret");
        Assert.Equal("noticesClientSecret", value);
        Assert.NotNull(Yaml.Get(Repo.Values, $"keycloakRealm.{value}"));
        var realmEnv = Regex.Match(Repo.Template("keycloak-realm.yaml"), $@"(?m)^  {placeholder}: \{{\{{ required ""[^""]*"" \.Values\.keycloakRealm\.(\w+) \| quote \}}\}}$");
        Assert.True(realmEnv.Success, $"keycloak-realm.yaml does not set {placeholder} from a keycloakRealm value");
        Assert.Equal(value, realmEnv.Groups[1].Value);

        // ... and the service's Secret takes Auth__ClientSecret from the same keycloakRealm.<value>, never a literal.
        var secret = Repo.Template("secret.yaml");
        Assert.Contains("{{- with $svc.realmClientSecret }}\n  Auth__ClientSecret: {{ required (printf \"keycloakRealm.%s is required: services.%s signs in with it\" . $name) (index $.Values.keycloakRealm .) | quote }}", secret);
        Assert.DoesNotContain("ClientSecret", Repo.Template("configmap.yaml"));
        Assert.DoesNotContain(Yaml.Map(notices["env"]).Keys, k => k.Contains("Secret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Gateway_upstreams_cover_every_grpc_route_and_point_at_enabled_services()
    {
        var gateway = Repo.Services["gateway"];
        var upstreams = Yaml.Map(Yaml.Get(gateway, "upstreams"));
        var proxied = Yaml.Map(Yaml.Get(gateway, "proxyUpstreams"));
        var routes = GatewaySettings.Clusters;
        Assert.NotEmpty(routes);
        // The REST routes' gRPC clients (Services:<cluster>) and YARP (Gateway:Proxy:<cluster>) reach the same service.
        foreach (var cluster in routes)
        {
            Assert.Contains(cluster, upstreams.Keys);
            Assert.Equal(upstreams[cluster], proxied.GetValueOrDefault(cluster));
        }
        foreach (var target in upstreams.Values.Concat(proxied.Values)) Assert.Contains((string)target!, Repo.Services.Keys);
        // Upstream addresses use the target's gRPC port (h2c), the port the gateway's clients speak.
        Assert.Equal(2, Regex.Matches(Repo.Template("configmap.yaml"), @"\$upstream\.ports\.grpc").Count);
    }

    [Fact]
    public void Nothing_in_the_deployment_turns_on_development_mode()
    {
        var files = Directory.EnumerateFiles(Repo.Chart, "*", SearchOption.AllDirectories)
            .Append(Repo.Full("skaffold.yaml"))
            .Concat(Repo.Services.Keys.Select(s => Repo.Full(Repo.DockerfileOf(s))));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("DevelopmentKeyFile", text);
            Assert.DoesNotContain("DOTNET_ENVIRONMENT", text);
            foreach (var line in text.Split('\n').Where(l => l.Contains("ASPNETCORE_ENVIRONMENT")))
                Assert.DoesNotContain("Development", line);
        }
        Assert.Equal("Production", Yaml.String(Repo.Values, "aspnetcoreEnvironment"));
        foreach (var service in Repo.Services.Keys)
            Assert.Contains("ASPNETCORE_ENVIRONMENT=Production", Repo.Read(Repo.DockerfileOf(service)));
        // The chart refuses a Development override instead of rendering it.
        Assert.Contains("{{- if eq (lower .Values.aspnetcoreEnvironment) \"development\" }}", Repo.Template("configmap.yaml"));
    }

    [Fact]
    public void Token_audience_is_the_one_the_services_validate()
    {
        var audience = Yaml.String(Repo.Values, "auth.audience");
        Assert.Equal(Authentication.DefaultAudience, audience);
        foreach (var service in Repo.Services.Keys)
        {
            using var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.ProjectDirOf(service), "appsettings.json")));
            Assert.Equal(audience, settings.RootElement.GetProperty("Auth").GetProperty("Audience").GetString());
        }
    }
}
