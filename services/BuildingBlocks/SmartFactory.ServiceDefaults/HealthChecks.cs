using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SmartFactory.ServiceDefaults;

public static class HealthTags
{
    /// <summary>The process is alive (liveness); every other check counts towards readiness.</summary>
    public const string Live = "live";
    /// <summary>Checks of other services, reported over gRPC health but kept out of this process's readiness.</summary>
    public const string Backend = "backend";
}

/// <summary>The health endpoints' body: the overall status and each check's, so a degraded answer says what is degraded.</summary>
public static class HealthReports
{
    /// <summary>
    /// Statuses only: a check's description and exception may name internal hosts (the gateway's health port is public)
    /// and go to the log instead.
    /// </summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        }, cancellationToken: context.RequestAborted);
    }
}
