namespace SmartFactory.ServiceDefaults;

/// <summary>
/// What a deployment relies on in every process built on these defaults: the configuration keys they read (an
/// environment variable spells ':' as "__"), the health paths on the HTTP/1.1 endpoint, and the migrate command. The
/// chart, the Dockerfile and tests/SmartFactory.Deployment.Tests go by these names.
/// </summary>
public static class ServiceSettings
{
    /// <summary>Liveness: the process answers (the "live"-tagged checks only).</summary>
    public const string LivePath = "/health/live";

    /// <summary>Readiness: this process's checks; 503 without PostgreSQL, 200 and "Degraded" without Redis.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary><c>dotnet SmartFactory.X.dll migrate</c> applies the service's migrations and exits (the chart's migrations Job).</summary>
    public const string MigrateCommand = "migrate";

    /// <summary>Configuration keys read by the building blocks.</summary>
    public static class Keys
    {
        /// <summary>The HTTP/1.1 endpoint (health, REST): a URL such as http://0.0.0.0:5100.</summary>
        public const string HttpEndpoint = "Endpoints:Http";

        /// <summary>The HTTP/2-only (h2c) gRPC endpoint.</summary>
        public const string GrpcEndpoint = "Endpoints:Grpc";

        /// <summary>GetConnectionString("Postgres").</summary>
        public const string Postgres = "ConnectionStrings:Postgres";

        /// <summary>GetConnectionString("Redis").</summary>
        public const string Redis = "ConnectionStrings:Redis";

        public const string AuthAuthority = "Auth:Authority";
        public const string AuthAudience = "Auth:Audience";
        public const string AuthRequireHttpsMetadata = "Auth:RequireHttpsMetadata";

        /// <summary>The service's own Keycloak client (client credentials), for calls without a user behind them.</summary>
        public const string AuthClientId = "Auth:ClientId";
        public const string AuthClientSecret = "Auth:ClientSecret";

        /// <summary>Development only: the key of the development token issuer.</summary>
        public const string AuthDevelopmentKeyFile = "Auth:DevelopmentKeyFile";

        /// <summary>Apply the migrations at start outside Development too.</summary>
        public const string MigrateOnStart = "Database:MigrateOnStart";
    }
}
