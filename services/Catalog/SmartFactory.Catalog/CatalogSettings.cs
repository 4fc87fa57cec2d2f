namespace SmartFactory.Catalog;

/// <summary>
/// What a deployment relies on in the catalog service beyond <see cref="ServiceDefaults.ServiceSettings"/>: its database
/// schema and the configuration keys it reads.
/// </summary>
public static class CatalogSettings
{
    /// <summary>The schema (and, in production, the database) the catalog owns.</summary>
    public const string Schema = "catalog";

    /// <summary>The registry, whose change feed the catalog pulls (its address is <see cref="Keys.RegistryAddress"/>).</summary>
    public const string RegistryCluster = "Registry";

    /// <summary>The Redis lock under which one replica pulls the feed.</summary>
    public const string FeedLock = "smartfactory:catalog:feed";

    public static class Engines
    {
        public const string Postgres = "postgres";
        public const string Elasticsearch = "elasticsearch";
    }

    public static class Keys
    {
        public const string RegistryAddress = "Services:" + RegistryCluster;

        /// <summary>Pull the feed in the background (default true; the tests pull when they choose).</summary>
        public const string FeedEnabled = "Catalog:FeedEnabled";

        /// <summary>How long the puller waits once it has caught up (default 1 s).</summary>
        public const string FeedIntervalMilliseconds = "Catalog:FeedIntervalMilliseconds";

        /// <summary>The search engine: <c>postgres</c> (the default) or <c>elasticsearch</c>.</summary>
        public const string SearchEngine = "Catalog:Search:Engine";

        /// <summary>The Elasticsearch cluster's address, when <see cref="SearchEngine"/> is <c>elasticsearch</c>.</summary>
        public const string SearchUrl = "Catalog:Search:Url";
    }
}
