namespace SmartFactory.Notices;

/// <summary>
/// What a deployment relies on in the notices service beyond <see cref="ServiceDefaults.ServiceSettings"/>: its database
/// schema and the configuration keys it reads. tests/SmartFactory.Deployment.Tests holds the chart to these.
/// </summary>
public static class NoticesSettings
{
    /// <summary>The schema (and, in the chart, the database) the notices service owns: AddServiceDefaults(schema: Schema).</summary>
    public const string Schema = "notices";

    /// <summary>The section NoticesOptions binds: each of its properties is the key "Notices:&lt;property&gt;".</summary>
    public const string OptionsSection = "Notices";

    /// <summary>The registry, as the notices service's gRPC client names it (its address is <see cref="Keys.RegistryAddress"/>).</summary>
    public const string RegistryCluster = "Registry";

    public static class Keys
    {
        /// <summary>The registry's gRPC address, which the outbox relay and the drafting of notices call.</summary>
        public const string RegistryAddress = "Services:" + RegistryCluster;

        /// <summary>NoticesOptions.DefaultLengthWorkingDays.</summary>
        public const string DefaultLengthWorkingDays = "Notices:DefaultLengthWorkingDays";

        /// <summary>NoticesOptions.ObjectionsPerMinute.</summary>
        public const string ObjectionsPerMinute = "Notices:ObjectionsPerMinute";

        public const string RelayEnabled = "Notices:RelayEnabled";
        public const string RelayIntervalSeconds = "Notices:RelayIntervalSeconds";
        public const string CloseJobEnabled = "Notices:CloseJobEnabled";
        public const string CloseIntervalMinutes = "Notices:CloseIntervalMinutes";
    }
}
