using Grpc.Health.V1;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Grpc;

namespace SmartFactory.Gateway.Proxy;

/// <summary>
/// The gateway's gRPC port answers for the platform as a whole: the standard health service, whose status for each
/// routed service is that service's own health answer, and server reflection listing every routed service.
/// </summary>
public static class PlatformGrpc
{
    public static IServiceCollection AddPlatformGrpc(this IServiceCollection services)
    {
        services.AddGrpc();
        var clusters = GrpcRoutes.Owners.Select(o => o.Cluster).Distinct().ToList();
        foreach (var cluster in clusters)
            services.AddServiceClient<Health.HealthClient>(cluster, Health.Descriptor, name: HealthClientName(cluster));
        var checks = services.AddGrpcHealthChecks(options =>
        {
            options.Services.Clear();
            options.Services.Map("", check => !check.Tags.Contains(HealthTags.Backend));
            foreach (var (cluster, service) in GrpcRoutes.Owners) options.Services.Map(service.FullName, check => check.Name == cluster);
        });
        foreach (var cluster in clusters)
            checks.Add(new HealthCheckRegistration(cluster,
                IHealthCheck (sp) => new BackendHealthCheck(sp.GetRequiredService<Grpc.Net.ClientFactory.GrpcClientFactory>()
                    .CreateClient<Health.HealthClient>(HealthClientName(cluster))), HealthStatus.Unhealthy, [HealthTags.Backend]));
        return services;
    }

    public static WebApplication MapPlatformGrpc(this WebApplication app)
    {
        app.MapGrpcService<PlatformReflection>();
        app.MapGrpcHealthChecksService();
        return app;
    }

    private static string HealthClientName(string cluster) => $"health-{cluster}";

    /// <summary>Reflection over the contracts the gateway routes, rather than the services this process implements.</summary>
    public sealed class PlatformReflection() : ReflectionServiceImpl(
        GrpcRoutes.Owners.Select(o => o.Service).Append(Health.Descriptor).Append(ServerReflection.Descriptor));

    /// <summary>What the owning service's own health service says of itself.</summary>
    private sealed class BackendHealthCheck(Health.HealthClient health) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var answer = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
                return answer.Status == HealthCheckResponse.Types.ServingStatus.Serving
                    ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"the service answers {answer.Status}");
            }
            catch (Grpc.Core.RpcException e) { return HealthCheckResult.Unhealthy($"the service does not answer: {e.StatusCode}"); }
        }
    }
}
