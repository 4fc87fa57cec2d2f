using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Grpc;
using SmartFactory.Registry;
using SmartFactory.Registry.Grpc;
using SmartFactory.ServiceDefaults;

// `check-sources DIR` holds the reference data against its source documents and exits (SourceCheck.cs): no host, no configuration.
if (args is [SourceCheck.Command, .. var sources]) { Environment.ExitCode = SourceCheck.Run(sources, Console.Out); return; }

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(schema: "registry");
builder.AddRegistryServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<RegistryService>(RegistryReflection.Descriptor.Services[0]);
app.MapGrpcService<LifecycleService>(LifecycleReflection.Descriptor.Services[0]);

await app.RunServiceAsync(args);

public partial class Program;
