namespace SmartFactory.Notices;

public static class Extensions
{
    public static WebApplicationBuilder AddNoticesServices(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapNotices(this WebApplication app)
    {
        return app;
    }
}
