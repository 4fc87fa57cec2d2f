namespace SmartFactory.Deployment.Tests;

public class SkaffoldTests
{
    [Fact]
    public void Skaffold_uses_the_v4_schema_and_deploys_the_chart_with_helm()
    {
        Assert.StartsWith("skaffold/v4", Yaml.String(Repo.Skaffold, "apiVersion"));
        Assert.Equal("Config", Yaml.String(Repo.Skaffold, "kind"));
        var release = Yaml.Map(Yaml.List(Yaml.Get(Repo.Skaffold, "deploy.helm.releases")).Single());
        Assert.Equal("charts/smartfactory", release["chartPath"]);
        Assert.True(File.Exists(Repo.Full("charts/smartfactory/Chart.yaml")));
    }

    [Fact]
    public void Secrets_come_from_the_environment_and_the_dev_profile_only_patches_existing_keys()
    {
        var release = Yaml.Map(Yaml.List(Yaml.Get(Repo.Skaffold, "deploy.helm.releases")).Single());
        var templates = Yaml.Map(release["setValueTemplates"]);
        string[] secrets = ["postgresql.auth.password", "redis.auth.password", "keycloak.auth.adminPassword",
            "keycloakRealm.catalogClientSecret", "keycloakRealm.gatewayClientSecret", "keycloakRealm.noticesClientSecret"];
        foreach (var key in secrets)
        {
            Assert.True(templates.ContainsKey(key), $"skaffold.yaml does not set {key} (the chart requires it)");
            Assert.Matches(@"^\{\{\.SMARTFACTORY_[A-Z_]+\}\}$", (string)templates[key]!);
            Assert.NotNull(Yaml.Get(Repo.Values, key));
        }
        // Every value taken from the environment is one of those secrets.
        Assert.Equal(secrets.Order(), templates.Where(t => ((string)t.Value!).StartsWith("{{.SMARTFACTORY_")).Select(t => t.Key).Order());
        var dev = Yaml.List(Repo.Skaffold["profiles"]).Select(Yaml.Map).Single(p => (string?)p["name"] == "dev");
        var replaced = new List<string>();
        foreach (var patch in Yaml.List(dev["patches"]).Select(Yaml.Map))
        {
            var path = (string)patch["path"]!;
            if ((string?)patch["op"] == "replace")
            {
                replaced.Add(path["/deploy/helm/releases/0/setValueTemplates/".Length..]);
                Assert.Contains(replaced[^1], templates.Keys);
                Assert.DoesNotContain("{{", (string)patch["value"]!);
            }
            else
                foreach (var key in Yaml.Map(patch["value"]).Keys) Assert.NotNull(Yaml.Get(Repo.Values, key));
        }
        // `skaffold dev` needs no environment: each secret gets a throwaway value there.
        Assert.Equal(secrets.Order(), replaced.Order());
    }
}
