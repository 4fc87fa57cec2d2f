using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

/// <summary>REST/JSON for the registry under /api/v1, each route one gRPC call with the caller's token.</summary>
public static class RegistryEndpoints
{
    public static RouteGroupBuilder MapRegistryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiV1("Registry");

        api.MapGet("/enterprises", async (RegistryClient registry, string? regionCode, string? nameContains, string? creditCode, int? pageSize, string? pageToken) =>
        {
            var response = await registry.ListEnterprisesAsync(new()
            {
                RegionCode = regionCode ?? "", NameContains = nameContains ?? "", CreditCode = creditCode ?? "",
                PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            });
            return Results.Ok(new PageDto<EnterpriseDto>([.. response.Enterprises.Select(EnterpriseDto.From)], response.TotalSize, Wire.NullIfEmpty(response.NextPageToken)));
        }).WithName("ListEnterprises").Produces<PageDto<EnterpriseDto>>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/enterprises/{id}", async (RegistryClient registry, string id) =>
            Results.Ok(EnterpriseDto.From(await registry.GetEnterpriseAsync(new() { Id = id }))))
            .WithName("GetEnterprise").Produces<EnterpriseDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/enterprises", (RegistryClient registry, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<RegisterEnterpriseBody>(request, json.Value.SerializerOptions, async body =>
            {
                var created = await registry.RegisterEnterpriseAsync(body.ToRequest());
                return Results.Created($"/api/v1/enterprises/{created.Id}", EnterpriseDto.From(created));
            }))
            .WithName("RegisterEnterprise").Accepts<RegisterEnterpriseBody>("application/json").Produces<EnterpriseDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/enterprises/{id}", (RegistryClient registry, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<UpdateEnterpriseBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(EnterpriseDto.From(await registry.UpdateEnterpriseAsync(body.ToRequest(id))))))
            .WithName("UpdateEnterprise").Accepts<UpdateEnterpriseBody>("application/json").Produces<EnterpriseDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/factories", async (RegistryClient registry, string? regionCode, string? industryCode, string? enterpriseId, string? nameContains, int? pageSize, string? pageToken) =>
        {
            var response = await registry.ListFactoriesAsync(new()
            {
                RegionCode = regionCode ?? "", IndustryCode = industryCode ?? "", EnterpriseId = enterpriseId ?? "",
                NameContains = nameContains ?? "", PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            });
            return Results.Ok(new PageDto<FactoryDto>([.. response.Factories.Select(FactoryDto.From)], response.TotalSize, Wire.NullIfEmpty(response.NextPageToken)));
        }).WithName("ListFactories").Produces<PageDto<FactoryDto>>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/factories/{id}", async (RegistryClient registry, string id) =>
            Results.Ok(FactoryDto.From(await registry.GetFactoryAsync(new() { Id = id }))))
            .WithName("GetFactory").Produces<FactoryDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/factories", (RegistryClient registry, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<RegisterFactoryBody>(request, json.Value.SerializerOptions, async body =>
            {
                var created = await registry.RegisterFactoryAsync(body.ToRequest());
                return Results.Created($"/api/v1/factories/{created.Id}", FactoryDto.From(created));
            }))
            .WithName("RegisterFactory").Accepts<RegisterFactoryBody>("application/json").Produces<FactoryDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/factories/{id}", (RegistryClient registry, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<UpdateFactoryBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(FactoryDto.From(await registry.UpdateFactoryAsync(body.ToRequest(id))))))
            .WithName("UpdateFactory").Accepts<UpdateFactoryBody>("application/json").Produces<FactoryDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/regions", async (RegistryClient registry) =>
            Results.Ok((await registry.ListRegionsAsync(new())).Regions
                .Select(r => new RegionDto(r.Code, r.Name, Wire.NullIfEmpty(r.ParentCode)))))
            .WithName("ListRegions").Produces<IEnumerable<RegionDto>>();

        api.MapGet("/industries", async (RegistryClient registry) =>
            Results.Ok((await registry.ListIndustriesAsync(new())).Industries
                .Select(i => new IndustryDto(i.Code, i.Name))))
            .WithName("ListIndustries").Produces<IEnumerable<IndustryDto>>();

        return api;
    }
}
