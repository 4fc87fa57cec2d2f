using SmartFactory.Catalog;
using SmartFactory.ServiceDefaults;
using Contract = SmartFactory.Contracts.Catalog.V1;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(CatalogSettings.Schema, Contract.CatalogService.Descriptor);
builder.AddCatalogServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCatalog();

await app.RunServiceAsync(args);

public partial class Program;
