using SmartFactory.Notices;
using SmartFactory.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(schema: "notices");
builder.AddNoticesServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapNotices();

await app.RunServiceAsync(args);

public partial class Program;
