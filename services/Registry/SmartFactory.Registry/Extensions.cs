using SmartFactory.Registry.Data;
using SmartFactory.Registry.Grpc;
using SmartFactory.Registry.Jobs;
using SmartFactory.ServiceDefaults;

namespace SmartFactory.Registry;

public static class Extensions
{
    /// <summary>A dossier file of 20 MiB and its fields in one message, either way (upload and download).</summary>
    public const int MaxDossierMessageBytes = Domain.DossierFiles.MaxFileBytes + 1024 * 1024;

    public static WebApplicationBuilder AddRegistryServices(this WebApplicationBuilder builder)
    {
        builder.AddRedis(); // the lifecycle job's lock
        builder.Services.AddSingleton(_ => ReferenceFiles.Read()); // read and checked once, at the first use
        builder.Services.AddSingleton<ChangeRecorder>();
        builder.Services.AddSingleton<RegistryStore>();
        builder.Services.AddSingleton<LifecycleStore>();
        builder.Services.AddSingleton<OversightStore>();
        builder.Services.AddScoped<RegistryService>();
        builder.Services.AddScoped<LifecycleService>();
        builder.Services.AddSingleton<DossierStore>();
        builder.Services.AddScoped<DossierService>();
        builder.Services.AddGrpc().AddServiceOptions<DossierService>(o => (o.MaxReceiveMessageSize, o.MaxSendMessageSize) = (MaxDossierMessageBytes, MaxDossierMessageBytes));
        builder.Services.AddScoped<RecommendationService>();
        builder.Services.AddScoped<SpotCheckService>();
        builder.Services.AddSingleton<LifecycleJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LifecycleJob>());
        return builder;
    }
}
