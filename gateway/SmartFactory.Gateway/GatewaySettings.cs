namespace SmartFactory.Gateway;

/// <summary>
/// What a deployment relies on in the gateway beyond <see cref="ServiceDefaults.ServiceSettings"/>: the services it calls
/// (its clusters) and the configuration keys it reads. tests/SmartFactory.Deployment.Tests holds the chart to these.
/// </summary>
public static class GatewaySettings
{
    public const string RegistryCluster = "Registry";
    public const string NoticesCluster = "Notices";
    public const string CatalogCluster = "Catalog";

    /// <summary>Every service the gateway calls: its REST routes through a gRPC client, and gRPC passed through by YARP.</summary>
    public static IReadOnlyList<string> Clusters { get; } = [RegistryCluster, NoticesCluster, CatalogCluster];

    /// <summary>The section <see cref="Api.CatalogOptions"/> binds: each of its properties is the key "Gateway:Catalog:&lt;property&gt;".</summary>
    public const string CatalogOptionsSection = "Gateway:Catalog";

    public static class Keys
    {
        /// <summary>CatalogOptions.SearchesPerMinute: catalog searches per client and minute.</summary>
        public const string CatalogSearchesPerMinute = CatalogOptionsSection + ":SearchesPerMinute";

        /// <summary>CatalogOptions.ExportsPerMinute: catalog exports per client and minute.</summary>
        public const string CatalogExportsPerMinute = CatalogOptionsSection + ":ExportsPerMinute";

        /// <summary>CatalogOptions.CacheMinutes: how long a cached catalog answer is kept in Redis.</summary>
        public const string CatalogCacheMinutes = CatalogOptionsSection + ":CacheMinutes";

        /// <summary>
        /// The registry's gRPC address for the REST routes' gRPC client (Services:&lt;cluster&gt;). In the chart
        /// dns:///&lt;headless Service&gt;:&lt;port&gt;, to balance calls over the replicas (round_robin).
        /// </summary>
        public const string RegistryAddress = "Services:" + RegistryCluster;

        /// <summary>The notices service's gRPC address, as <see cref="RegistryAddress"/>.</summary>
        public const string NoticesAddress = "Services:" + NoticesCluster;

        /// <summary>The catalog's gRPC address, as <see cref="RegistryAddress"/>.</summary>
        public const string CatalogAddress = "Services:" + CatalogCluster;

        /// <summary>
        /// The destination of YARP's registry cluster (Gateway:Proxy:&lt;cluster&gt;): an http:// address, which YARP
        /// needs and dns:/// is not; in the chart the registry's ClusterIP Service. When unset, Services:&lt;cluster&gt;.
        /// </summary>
        public const string RegistryProxy = "Gateway:Proxy:" + RegistryCluster;

        /// <summary>The destination of YARP's notices cluster, as <see cref="RegistryProxy"/>.</summary>
        public const string NoticesProxy = "Gateway:Proxy:" + NoticesCluster;

        /// <summary>The destination of YARP's catalog cluster, as <see cref="RegistryProxy"/>.</summary>
        public const string CatalogProxy = "Gateway:Proxy:" + CatalogCluster;

        /// <summary>The ingress's networks in CIDR (an array: Gateway:TrustedProxies:0, :1, …).</summary>
        public const string TrustedProxies = "Gateway:TrustedProxies";

        /// <summary>YARP's destination of a cluster, as <see cref="RegistryProxy"/> spells it for the registry.</summary>
        public static string Proxy(string cluster) => "Gateway:Proxy:" + cluster;
    }
}
