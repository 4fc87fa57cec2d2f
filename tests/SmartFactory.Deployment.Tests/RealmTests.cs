using System.Text.Json;
using System.Text.RegularExpressions;
using SmartFactory.Kernel;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.Deployment.Tests;

/// <summary>The Keycloak realm export issues tokens the services accept and scope by.</summary>
public class RealmTests
{
    private static readonly JsonElement Realm =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Chart, "files", "realm-smartfactory.json"))).RootElement;

    private static IEnumerable<JsonElement> Clients => Realm.GetProperty("clients").EnumerateArray();

    private static IEnumerable<JsonElement> Mappers(JsonElement client, string type) =>
        client.GetProperty("protocolMappers").EnumerateArray().Where(m => m.GetProperty("protocolMapper").GetString() == type);

    /// <summary>Clients people sign in with; a service-account client has no user attributes to map.</summary>
    private static IEnumerable<JsonElement> SignInClients => Clients.Where(c => c.GetProperty("standardFlowEnabled").GetBoolean());

    [Fact]
    public void Realm_smartfactory_has_the_four_roles_of_the_domain_and_the_service_role()
    {
        Assert.Equal("smartfactory", Realm.GetProperty("realm").GetString());
        Assert.True(Realm.GetProperty("enabled").GetBoolean());
        var roles = Realm.GetProperty("roles").GetProperty("realm").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "enterprise", "city", "province", "ministry", "service" }, roles);
        // The same names as the services' Role enum, which they parse role claims into.
        Assert.Equal(roles, Enum.GetNames<Role>().Select(m => (string?)m.ToLowerInvariant()).ToHashSet());
        // The realm's own Authority default in the chart points at this realm.
        Assert.Contains("/realms/smartfactory", Repo.Template("_helpers.tpl"));
    }

    [Fact]
    public void There_is_a_confidential_gateway_client_and_a_public_portal_client()
    {
        var gateway = Assert.Single(Clients, c => c.GetProperty("clientId").GetString() == "smartfactory-gateway");
        Assert.False(gateway.GetProperty("publicClient").GetBoolean());
        Assert.Equal("client-secret", gateway.GetProperty("clientAuthenticatorType").GetString());
        // The secret is never in the file: keycloak-config-cli substitutes it from the environment.
        Assert.Equal("$(env:SMARTFACTORY_GATEWAY_CLIENT_SECRET)", gateway.GetProperty("secret").GetString());

        var portal = Assert.Single(Clients, c => c.GetProperty("clientId").GetString() == "smartfactory-portal");
        Assert.True(portal.GetProperty("publicClient").GetBoolean());
        Assert.False(portal.TryGetProperty("secret", out _));
        Assert.False(portal.GetProperty("implicitFlowEnabled").GetBoolean());
        Assert.Equal("S256", portal.GetProperty("attributes").GetProperty("pkce.code.challenge.method").GetString());
    }

    [Fact]
    public void The_notices_service_signs_in_with_a_service_account_that_holds_the_service_role_only()
    {
        var notices = Assert.Single(Clients, c => c.GetProperty("clientId").GetString() == "smartfactory-notices");
        Assert.False(notices.GetProperty("publicClient").GetBoolean());
        Assert.Equal("client-secret", notices.GetProperty("clientAuthenticatorType").GetString());
        Assert.Equal("$(env:SMARTFACTORY_NOTICES_CLIENT_SECRET)", notices.GetProperty("secret").GetString());
        Assert.True(notices.GetProperty("serviceAccountsEnabled").GetBoolean());
        // Client credentials only: nobody signs in through this client.
        foreach (var flow in new[] { "standardFlowEnabled", "implicitFlowEnabled", "directAccessGrantsEnabled" })
            Assert.False(notices.GetProperty(flow).GetBoolean(), flow);

        // The service role is held by the services' accounts (the notices service's, the catalog's) and by no one else (not the gateway's).
        var holders = Realm.GetProperty("users").EnumerateArray()
            .Where(u => u.TryGetProperty("realmRoles", out var roles) && roles.EnumerateArray().Any(r => r.GetString() == "service")).ToList();
        Assert.Equal(["service-account-smartfactory-catalog", "service-account-smartfactory-notices"],
            holders.Select(h => h.GetProperty("username").GetString()).Order());
        var account = Assert.Single(holders, h => h.GetProperty("username").GetString() == "service-account-smartfactory-notices");
        Assert.Equal("service-account-smartfactory-notices", account.GetProperty("username").GetString());
        Assert.Equal("smartfactory-notices", account.GetProperty("serviceAccountClientId").GetString());
        Assert.Equal(["service"], account.GetProperty("realmRoles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(account.TryGetProperty("credentials", out _));
    }

    [Fact]
    public void Every_sign_in_client_puts_region_and_credit_code_into_the_access_token()
    {
        var claims = new[] { CallerScope.RegionClaim, CallerScope.CreditCodeClaim };
        Assert.Equal(["region", "credit_code"], claims);
        Assert.Equal(4, Clients.Count()); // the two sign-in clients and the notices' and the catalog's service clients
        Assert.Equal(["smartfactory-gateway", "smartfactory-portal"], SignInClients.Select(c => c.GetProperty("clientId").GetString()));
        foreach (var client in SignInClients)
            foreach (var claim in claims)
            {
                var mapper = Assert.Single(Mappers(client, "oidc-usermodel-attribute-mapper"),
                    m => m.GetProperty("config").GetProperty("claim.name").GetString() == claim);
                var config = mapper.GetProperty("config");
                Assert.Equal("openid-connect", mapper.GetProperty("protocol").GetString());
                Assert.Equal(claim, config.GetProperty("user.attribute").GetString());
                Assert.Equal("true", config.GetProperty("access.token.claim").GetString());
                Assert.Equal("String", config.GetProperty("jsonType.label").GetString());
                Assert.Equal("false", config.GetProperty("multivalued").GetString());
            }
    }

    [Fact]
    public void Every_client_adds_the_audience_the_services_validate_to_aud()
    {
        var audience = Yaml.String(Repo.Values, "auth.audience");
        foreach (var client in Clients)
        {
            var mapper = Assert.Single(Mappers(client, "oidc-audience-mapper"));
            Assert.Equal(audience, mapper.GetProperty("config").GetProperty("included.custom.audience").GetString());
            Assert.Equal("true", mapper.GetProperty("config").GetProperty("access.token.claim").GetString());
            // Realm roles reach the token through Keycloak's default "roles" scope (realm_access.roles), which an
            // explicit scope list would drop.
            Assert.False(client.TryGetProperty("defaultClientScopes", out _));
        }
    }

    [Fact]
    public void Region_and_credit_code_are_declared_user_attributes_that_only_admins_edit()
    {
        var attributes = Realm.GetProperty("userProfile").GetProperty("attributes").EnumerateArray()
            .ToDictionary(a => a.GetProperty("name").GetString()!);
        foreach (var builtIn in new[] { "username", "email", "firstName", "lastName" }) Assert.Contains(builtIn, attributes.Keys);
        foreach (var name in new[] { "region", "credit_code" })
        {
            var edit = attributes[name].GetProperty("permissions").GetProperty("edit").EnumerateArray().Select(e => e.GetString());
            Assert.Equal(["admin"], edit);
        }
        var region = new Regex(attributes["region"].GetProperty("validations").GetProperty("pattern").GetProperty("pattern").GetString()!);
        Assert.Matches(region, "420100");
        Assert.DoesNotMatch(region, "4201");
    }

    [Fact]
    public void Credit_code_pattern_accepts_exactly_the_registry_alphabet()
    {
        var attribute = Realm.GetProperty("userProfile").GetProperty("attributes").EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == "credit_code");
        var pattern = new Regex(attribute.GetProperty("validations").GetProperty("pattern").GetProperty("pattern").GetString()!);
        var alphabet = CreditCode.Alphabet;
        Assert.Equal(31, alphabet.Length);
        foreach (var c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            Assert.Equal(alphabet.Contains(c), pattern.IsMatch(new string(c, 18)));
        Assert.DoesNotMatch(pattern, new string('1', 17));
    }

    [Fact]
    public void The_realm_file_is_what_the_bundled_keycloak_imports()
    {
        var template = Repo.Template("keycloak-realm.yaml");
        Assert.Contains(".Files.Get \"files/realm-smartfactory.json\"", template);
        Assert.Contains("name: {{ .Release.Name }}-keycloak-realm\n", template);
        Assert.Equal("{{ .Release.Name }}-keycloak-realm", Yaml.String(Repo.Values, "keycloak.keycloakConfigCli.existingConfigmap"));
        Assert.Equal("{{ .Release.Name }}-keycloak-realm-env", Yaml.String(Repo.Values, "keycloak.keycloakConfigCli.extraEnvVarsSecret"));
        Assert.Contains("name: {{ .Release.Name }}-keycloak-realm-env\n", template);
        Assert.True(Yaml.Bool(Repo.Values, "keycloak.keycloakConfigCli.enabled"));
        var substitution = Yaml.List(Yaml.Get(Repo.Values, "keycloak.keycloakConfigCli.extraEnvVars")).Select(Yaml.Map)
            .Single(e => (string?)e["name"] == "IMPORT_VARSUBSTITUTION_ENABLED");
        Assert.Equal("true", substitution["value"]);
        // Every placeholder in the realm file has a value in the env Secret.
        var placeholders = Regex.Matches(File.ReadAllText(Path.Combine(Repo.Chart, "files", "realm-smartfactory.json")), @"\$\(env:(\w+)\)")
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(placeholders);
        foreach (var name in placeholders) Assert.Contains($"  {name}: ", template);
    }
}
