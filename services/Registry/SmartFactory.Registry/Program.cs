using SmartFactory.Registry;
using SmartFactory.Registry.Grpc;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults;
using Contract = SmartFactory.Contracts.Registry.V1;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("registry", Contract.RegistryService.Descriptor, Contract.LifecycleService.Descriptor);
builder.AddRegistryServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<RegistryService>();
app.MapGrpcService<LifecycleService>();

await app.RunServiceAsync(args);

public partial class Program;
