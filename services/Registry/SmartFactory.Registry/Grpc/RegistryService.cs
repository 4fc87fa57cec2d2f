using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Grpc;
using Domain = SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Grpc;

/// <summary>smartfactory.registry.v1.RegistryService: maps messages to domain calls; errors map in ServiceDefaults.</summary>
public sealed class RegistryService(RegistryStore store, TimeProvider time)
    : Contracts.Registry.V1.RegistryService.RegistryServiceBase
{
    public override async Task<Enterprise> RegisterEnterprise(RegisterEnterpriseRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var enterprise = Domain.Enterprise.Register(caller, request.CreditCode, Details(request.Name, request.RegionCode,
                request.IndustryCode, request.Size, request.Nature), await store.ReferenceDataAsync(context.CancellationToken), Guid.CreateVersion7(), Now());
        await store.InsertEnterpriseAsync(caller, enterprise, context.CancellationToken);
        return enterprise.ToMessage();
    }

    public override async Task<Enterprise> UpdateEnterprise(UpdateEnterpriseRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var before = await store.GetEnterpriseAsync(caller, Violations.ParseId(request.Id), context.CancellationToken) ?? throw EnterpriseNotFound(request.Id);
        var after = before.Update(caller, request.ExpectedVersion, Details(request.Name, request.RegionCode, request.IndustryCode,
            request.Size, request.Nature), await store.ReferenceDataAsync(context.CancellationToken), Now());
        await store.UpdateEnterpriseAsync(caller, before, after, context.CancellationToken);
        return after.ToMessage();
    }

    public override async Task<Enterprise> GetEnterprise(GetEnterpriseRequest request, ServerCallContext context) =>
        (await store.GetEnterpriseAsync(context.Caller(), Violations.ParseId(request.Id), context.CancellationToken) ?? throw EnterpriseNotFound(request.Id)).ToMessage();

    public override async Task<ListEnterprisesResponse> ListEnterprises(ListEnterprisesRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var page = Page.Parse(request.PageSize, request.PageToken, violations);
        var filter = new EnterpriseFilter(violations.Optional("region_code", request.RegionCode, 12),
            violations.Optional("name_contains", request.NameContains, 200), violations.Optional("credit_code", request.CreditCode, 18).ToUpperInvariant());
        violations.ThrowIfAny();
        var (items, total) = await store.ListEnterprisesAsync(caller, filter, page.Offset, page.Size, context.CancellationToken);
        return new ListEnterprisesResponse { Enterprises = { items.Select(e => e.ToMessage()) }, TotalSize = total, NextPageToken = page.NextToken(total) };
    }

    public override async Task<Factory> RegisterFactory(RegisterFactoryRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var owner = Guid.TryParse(request.EnterpriseId, out var enterpriseId) ? await store.GetEnterpriseAsync(caller, enterpriseId, context.CancellationToken) : null;
        var factory = Domain.Factory.Register(caller, request.EnterpriseId, owner,
            new Domain.FactoryDetails(request.Name, request.Address, request.RegionCode, request.IndustryCode),
            await store.ReferenceDataAsync(context.CancellationToken), Guid.CreateVersion7(), Now());
        await store.InsertFactoryAsync(caller, factory, context.CancellationToken);
        return factory.ToMessage();
    }

    public override async Task<Factory> UpdateFactory(UpdateFactoryRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var before = await store.GetFactoryAsync(caller, Violations.ParseId(request.Id), context.CancellationToken) ?? throw FactoryNotFound(request.Id);
        var after = before.Update(caller, request.ExpectedVersion,
            new Domain.FactoryDetails(request.Name, request.Address, request.RegionCode, request.IndustryCode),
            await store.ReferenceDataAsync(context.CancellationToken), Now());
        await store.UpdateFactoryAsync(caller, before, after, context.CancellationToken);
        return after.ToMessage();
    }

    public override async Task<Factory> GetFactory(GetFactoryRequest request, ServerCallContext context) =>
        (await store.GetFactoryAsync(context.Caller(), Violations.ParseId(request.Id), context.CancellationToken) ?? throw FactoryNotFound(request.Id)).ToMessage();

    public override async Task<ListFactoriesResponse> ListFactories(ListFactoriesRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var page = Page.Parse(request.PageSize, request.PageToken, violations);
        var filter = FactoryFilter(request, violations);
        violations.ThrowIfAny();
        var (items, total) = await store.ListFactoriesAsync(caller, filter, page.Offset, page.Size, context.CancellationToken);
        return new ListFactoriesResponse { Factories = { items.Select(f => f.ToMessage()) }, TotalSize = total, NextPageToken = page.NextToken(total) };
    }

    public override async Task StreamFactories(ListFactoriesRequest request, IServerStreamWriter<Factory> writer, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        var filter = FactoryFilter(request, violations);
        violations.ThrowIfAny();
        await foreach (var factory in store.StreamFactoriesAsync(caller, filter, context.CancellationToken))
            await writer.WriteAsync(factory.ToMessage());
    }

    public override async Task<ListRegionsResponse> ListRegions(ListRegionsRequest request, ServerCallContext context)
    {
        context.Caller();
        var reference = await store.ReferenceDataAsync(context.CancellationToken);
        return new ListRegionsResponse
        {
            Regions = { reference.Regions.Select(r => new Region { Code = r.Code, Name = r.Name, ParentCode = r.ParentCode ?? "" }) },
        };
    }

    public override async Task<ListIndustriesResponse> ListIndustries(ListIndustriesRequest request, ServerCallContext context)
    {
        context.Caller();
        var reference = await store.ReferenceDataAsync(context.CancellationToken);
        return new ListIndustriesResponse { Industries = { reference.Industries.Select(i => new Industry { Code = i.Code, Name = i.Name, Section = i.Section }) } };
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private static Domain.EnterpriseDetails Details(string name, string region, string industry, EnterpriseSize size, EnterpriseNature nature) =>
        new(name, region, industry, size.ToDomain(), nature.ToDomain());

    private static FactoryFilter FactoryFilter(ListFactoriesRequest request, Violations violations)
    {
        Guid? enterpriseId = null;
        if (request.EnterpriseId.Length > 0)
        {
            if (Guid.TryParse(request.EnterpriseId, out var id)) enterpriseId = id;
            else violations.Add("enterprise_id", "must be an enterprise id (a UUID)");
        }
        // Filters are text that reaches SQL too: the same checks as any field (PostgreSQL refuses a NUL outright).
        return new FactoryFilter(violations.Optional("region_code", request.RegionCode, 12), violations.Optional("industry_code", request.IndustryCode, 12),
            enterpriseId, violations.Optional("name_contains", request.NameContains, 200));
    }

    private static NotFoundException EnterpriseNotFound(string id) => new($"enterprise {id} not found");
    private static NotFoundException FactoryNotFound(string id) => new($"factory {id} not found");
}
