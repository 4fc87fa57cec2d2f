using SmartFactory.Gateway;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();
app.UseExceptionHandler(); // first, so that nothing after it answers with an exception's details
app.UseClientAddress();
app.MapDefaultEndpoints();
app.MapGateway();

app.Run();

public partial class Program;
