namespace SmartFactory.Gateway;

/// <summary>
/// What a deployment relies on in the gateway beyond <see cref="ServiceDefaults.ServiceSettings"/>: the services it calls
/// (its clusters) and the configuration keys it reads. tests/SmartFactory.Deployment.Tests holds the chart to these.
/// </summary>
public static class GatewaySettings
{
    public const string RegistryCluster = "Registry";
    public const string NoticesCluster = "Notices";

    /// <summary>Every service the gateway calls: its REST routes through a gRPC client, and gRPC passed through by YARP.</summary>
    public static IReadOnlyList<string> Clusters { get; } = [RegistryCluster, NoticesCluster];

    public static class Keys
    {
        /// <summary>The registry's gRPC address (Services:&lt;cluster&gt;).</summary>
        public const string RegistryAddress = "Services:" + RegistryCluster;

        /// <summary>The notices service's gRPC address.</summary>
        public const string NoticesAddress = "Services:" + NoticesCluster;

        /// <summary>The ingress's networks in CIDR (an array: Gateway:TrustedProxies:0, :1, …).</summary>
        public const string TrustedProxies = "Gateway:TrustedProxies";
    }
}
