using SmartFactory.Kernel;
using SmartFactory.Notices;
using SmartFactory.ServiceDefaults;
using Contract = SmartFactory.Contracts.Notices.V1;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(NoticesSettings.Schema, Contract.NoticesService.Descriptor);
builder.AddNoticesServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapNotices();

await app.RunServiceAsync(args);

public partial class Program;
