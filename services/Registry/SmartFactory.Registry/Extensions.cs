using SmartFactory.Registry.Data;
using SmartFactory.Registry.Grpc;

namespace SmartFactory.Registry;

public static class Extensions
{
    public static WebApplicationBuilder AddRegistryServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChangeRecorder>();
        builder.Services.AddSingleton<RegistryStore>();
        builder.Services.AddScoped<RegistryService>();
        return builder;
    }
}
