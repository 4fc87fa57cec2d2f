namespace SmartFactory.Registry;

/// <summary>
/// What a deployment relies on in the registry beyond <see cref="ServiceDefaults.ServiceSettings"/>: its database schema
/// and the configuration keys it reads. tests/SmartFactory.Deployment.Tests holds the chart to these.
/// </summary>
public static class RegistrySettings
{
    /// <summary>The schema (and, in the chart, the database) the registry owns: AddServiceDefaults(schema: Schema).</summary>
    public const string Schema = "registry";

    public static class Keys
    {
        /// <summary>The daily lifecycle job runs unless false (tests run it by hand, on their own clock).</summary>
        public const string LifecycleJobEnabled = "Jobs:LifecycleEnabled";

        /// <summary>Minutes between the lifecycle job's runs (60).</summary>
        public const string LifecycleJobIntervalMinutes = "Jobs:LifecycleIntervalMinutes";
    }
}
