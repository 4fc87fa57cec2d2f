using SmartFactory.Registry.Data;
using SmartFactory.Registry.Grpc;
using SmartFactory.Registry.Jobs;
using SmartFactory.ServiceDefaults;

namespace SmartFactory.Registry;

public static class Extensions
{
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
        builder.Services.AddScoped<RecommendationService>();
        builder.Services.AddScoped<SpotCheckService>();
        builder.Services.AddSingleton<LifecycleJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LifecycleJob>());
        return builder;
    }
}
