using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Grpc;

namespace SmartFactory.Gateway.Api;

/// <summary>REST/JSON for the registry under /api/v1, each route one gRPC call with the caller's token.</summary>
public static class RegistryEndpoints
{
    public static RouteGroupBuilder MapRegistryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("Registry")
            .AddEndpointFilter(async (context, next) =>
            {
                try { return await next(context); }
                catch (RpcException e) { return Problems.FromRpc(e); }
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/enterprises", async (RegistryClient registry, string? regionCode, string? nameContains, string? creditCode, int? pageSize, string? pageToken) =>
        {
            var response = await registry.CallAsync<ListEnterprisesRequest, ListEnterprisesResponse>("ListEnterprises", new()
            {
                RegionCode = regionCode ?? "", NameContains = nameContains ?? "", CreditCode = creditCode ?? "",
                PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            });
            return Results.Ok(new PageDto<EnterpriseDto>([.. response.Enterprises.Select(EnterpriseDto.From)], response.TotalSize, NullIfEmpty(response.NextPageToken)));
        }).WithName("ListEnterprises").Produces<PageDto<EnterpriseDto>>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/enterprises/{id}", async (RegistryClient registry, string id) =>
            Results.Ok(EnterpriseDto.From(await registry.CallAsync<GetEnterpriseRequest, Enterprise>("GetEnterprise", new() { Id = id }))))
            .WithName("GetEnterprise").Produces<EnterpriseDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/enterprises", async (RegistryClient registry, HttpRequest request, IOptions<JsonOptions> json) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<RegisterEnterpriseBody>(request, json.Value.SerializerOptions);
            if (problem is not null) return problem;
            var created = await registry.CallAsync<RegisterEnterpriseRequest, Enterprise>("RegisterEnterprise", body!.ToRequest());
            return Results.Created($"/api/v1/enterprises/{created.Id}", EnterpriseDto.From(created));
        }).WithName("RegisterEnterprise").Accepts<RegisterEnterpriseBody>("application/json").Produces<EnterpriseDto>(StatusCodes.Status201Created)
          .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/enterprises/{id}", async (RegistryClient registry, string id, HttpRequest request, IOptions<JsonOptions> json) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<UpdateEnterpriseBody>(request, json.Value.SerializerOptions);
            if (problem is not null) return problem;
            return Results.Ok(EnterpriseDto.From(await registry.CallAsync<UpdateEnterpriseRequest, Enterprise>("UpdateEnterprise", body!.ToRequest(id))));
        }).WithName("UpdateEnterprise").Accepts<UpdateEnterpriseBody>("application/json").Produces<EnterpriseDto>()
          .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/factories", async (RegistryClient registry, string? regionCode, string? industryCode, string? enterpriseId, string? nameContains, int? pageSize, string? pageToken) =>
        {
            var response = await registry.CallAsync<ListFactoriesRequest, ListFactoriesResponse>("ListFactories", new()
            {
                RegionCode = regionCode ?? "", IndustryCode = industryCode ?? "", EnterpriseId = enterpriseId ?? "",
                NameContains = nameContains ?? "", PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            });
            return Results.Ok(new PageDto<FactoryDto>([.. response.Factories.Select(FactoryDto.From)], response.TotalSize, NullIfEmpty(response.NextPageToken)));
        }).WithName("ListFactories").Produces<PageDto<FactoryDto>>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/factories/{id}", async (RegistryClient registry, string id) =>
            Results.Ok(FactoryDto.From(await registry.CallAsync<GetFactoryRequest, Factory>("GetFactory", new() { Id = id }))))
            .WithName("GetFactory").Produces<FactoryDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/factories", async (RegistryClient registry, HttpRequest request, IOptions<JsonOptions> json) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<RegisterFactoryBody>(request, json.Value.SerializerOptions);
            if (problem is not null) return problem;
            var created = await registry.CallAsync<RegisterFactoryRequest, Factory>("RegisterFactory", body!.ToRequest());
            return Results.Created($"/api/v1/factories/{created.Id}", FactoryDto.From(created));
        }).WithName("RegisterFactory").Accepts<RegisterFactoryBody>("application/json").Produces<FactoryDto>(StatusCodes.Status201Created)
          .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/factories/{id}", async (RegistryClient registry, string id, HttpRequest request, IOptions<JsonOptions> json) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<UpdateFactoryBody>(request, json.Value.SerializerOptions);
            if (problem is not null) return problem;
            return Results.Ok(FactoryDto.From(await registry.CallAsync<UpdateFactoryRequest, Factory>("UpdateFactory", body!.ToRequest(id))));
        }).WithName("UpdateFactory").Accepts<UpdateFactoryBody>("application/json").Produces<FactoryDto>()
          .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/regions", async (RegistryClient registry) =>
            Results.Ok((await registry.CallAsync<ListRegionsRequest, ListRegionsResponse>("ListRegions", new())).Regions
                .Select(r => new RegionDto(r.Code, r.Name, NullIfEmpty(r.ParentCode)))))
            .WithName("ListRegions").Produces<IEnumerable<RegionDto>>();

        api.MapGet("/industries", async (RegistryClient registry) =>
            Results.Ok((await registry.CallAsync<ListIndustriesRequest, ListIndustriesResponse>("ListIndustries", new())).Industries
                .Select(i => new IndustryDto(i.Code, i.Name))))
            .WithName("ListIndustries").Produces<IEnumerable<IndustryDto>>();

        return api;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
