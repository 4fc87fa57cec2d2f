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
        foreach (var key in new[] { "postgresql.auth.password", "redis.auth.password", "keycloak.auth.adminPassword", "keycloakRealm.gatewayClientSecret" })
        {
            Assert.Matches(@"^\{\{\.SMARTFACTORY_[A-Z_]+\}\}$", (string)templates[key]!);
            Assert.NotNull(Yaml.Get(Repo.Values, key));
        }
        var dev = Yaml.List(Repo.Skaffold["profiles"]).Select(Yaml.Map).Single(p => (string?)p["name"] == "dev");
        foreach (var patch in Yaml.List(dev["patches"]).Select(Yaml.Map))
        {
            var path = (string)patch["path"]!;
            if ((string?)patch["op"] == "replace")
                Assert.Contains(path["/deploy/helm/releases/0/setValueTemplates/".Length..], templates.Keys);
            else
                foreach (var key in Yaml.Map(patch["value"]).Keys) Assert.NotNull(Yaml.Get(Repo.Values, key));
        }
    }
}
