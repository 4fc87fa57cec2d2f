using SmartFactory.Registry;
using SmartFactory.Registry.Grpc;
using SmartFactory.ServiceDefaults;
using Contract = SmartFactory.Contracts.Registry.V1;

// `check-sources DIR` holds the reference data against its source documents and exits (SourceCheck.cs): no host, no configuration.
if (args is [SourceCheck.Command, .. var sources]) { Environment.ExitCode = SourceCheck.Run(sources, Console.Out); return; }

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(RegistrySettings.Schema, Contract.RegistryService.Descriptor, Contract.LifecycleService.Descriptor,
    Contract.DossierService.Descriptor, Contract.RecommendationService.Descriptor, Contract.SpotCheckService.Descriptor);
builder.AddRegistryServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<RegistryService>();
app.MapGrpcService<LifecycleService>();
app.MapGrpcService<DossierService>();
app.MapGrpcService<RecommendationService>();
app.MapGrpcService<SpotCheckService>();

await app.RunServiceAsync(args);

public partial class Program;
