namespace SmartFactory.TestSupport;

/// <summary>The configuration every service under test gets: its database, Redis, and the test issuer as Keycloak.</summary>
public static class Settings
{
    public static Dictionary<string, string?> For(TestDatabase database, TestIssuer issuer) => new()
    {
        ["ConnectionStrings:Postgres"] = database.ConnectionString,
        ["ConnectionStrings:Redis"] = TestDatabase.Redis,
        ["Auth:Authority"] = issuer.Authority,
        ["Auth:RequireHttpsMetadata"] = "false",
        ["Auth:Audience"] = TestIssuer.Audience,
    };
}
