using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Notices.Data;
using SmartFactory.Notices.Grpc;
using SmartFactory.Notices.Jobs;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Grpc;

namespace SmartFactory.Notices;

public static class Extensions
{
    public const int MaxObjectionBytes = 6 * 10 * 1024 * 1024;

    public static WebApplicationBuilder AddNoticesServices(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<NoticesOptions>(builder.Configuration.GetSection(NoticesSettings.OptionsSection));
        builder.AddRedis(); // the objections' rate limit and the close job's lock
        // An objection carries up to 5 evidence files of 10 MiB each in one message.
        builder.Services.AddGrpc().AddServiceOptions<NoticesService>(options =>
        {
            options.MaxReceiveMessageSize = MaxObjectionBytes;
            options.MaxSendMessageSize = MaxObjectionBytes; // evidence is downloaded one file at a time, up to 10 MiB
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxObjectionBytes);
        builder.Services.AddSingleton<CalendarStore>();
        builder.Services.AddSingleton<CalendarCache>(); // seeds the store from the shipped files at its first use
        builder.Services.AddSingleton<NoticesStore>();
        // Reads carry the caller's token; the relay's commands name the service's own.
        builder.Services.AddServiceClient<LifecycleService.LifecycleServiceClient>(NoticesSettings.RegistryCluster, LifecycleService.Descriptor);
        builder.Services.AddSingleton<NoticeCloser>();
        builder.Services.AddScoped<NoticesService>();
        builder.Services.AddSingleton<NoticeJobs>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NoticeJobs>());
        return builder;
    }

    public static WebApplication MapNotices(this WebApplication app)
    {
        app.MapGrpcService<NoticesService>();
        return app;
    }
}
