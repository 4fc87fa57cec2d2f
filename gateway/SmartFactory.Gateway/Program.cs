using SmartFactory.Gateway;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();
app.UseClientAddress();
app.MapDefaultEndpoints();
app.MapGateway();

app.Run();

public partial class Program;
