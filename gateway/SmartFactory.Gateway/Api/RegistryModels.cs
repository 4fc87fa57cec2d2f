using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

// The REST shapes of the registry (camelCase JSON, enums as snake_case strings such as "large", "state_owned").

public sealed record EnterpriseDto(
    string Id, string CreditCode, string Name, string RegionCode, string IndustryCode, EnterpriseSize Size,
    EnterpriseNature Nature, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static EnterpriseDto From(Enterprise e) => new(e.Id, e.CreditCode, e.Name, e.RegionCode, e.IndustryCode, e.Size, e.Nature,
        e.Version, e.CreatedAt.ToDateTimeOffset(), e.UpdatedAt.ToDateTimeOffset());
}

public sealed record RegisterEnterpriseBody(
    string? CreditCode, string? Name, string? RegionCode, string? IndustryCode, EnterpriseSize? Size, EnterpriseNature? Nature)
{
    public RegisterEnterpriseRequest ToRequest() => new()
    {
        CreditCode = CreditCode ?? "", Name = Name ?? "", RegionCode = RegionCode ?? "", IndustryCode = IndustryCode ?? "",
        Size = Size ?? EnterpriseSize.Unspecified, Nature = Nature ?? EnterpriseNature.Unspecified,
    };
}

public sealed record UpdateEnterpriseBody(
    long? ExpectedVersion, string? Name, string? RegionCode, string? IndustryCode, EnterpriseSize? Size, EnterpriseNature? Nature)
{
    public UpdateEnterpriseRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Name = Name ?? "", RegionCode = RegionCode ?? "", IndustryCode = IndustryCode ?? "",
        Size = Size ?? EnterpriseSize.Unspecified, Nature = Nature ?? EnterpriseNature.Unspecified,
    };
}

public sealed record FactoryDto(
    string Id, string EnterpriseId, string EnterpriseName, string Name, string Address, string RegionCode, string IndustryCode,
    long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static FactoryDto From(Factory f) => new(f.Id, f.EnterpriseId, f.EnterpriseName, f.Name, f.Address, f.RegionCode,
        f.IndustryCode, f.Version, f.CreatedAt.ToDateTimeOffset(), f.UpdatedAt.ToDateTimeOffset());
}

public sealed record RegisterFactoryBody(string? EnterpriseId, string? Name, string? Address, string? RegionCode, string? IndustryCode)
{
    public RegisterFactoryRequest ToRequest() => new()
    {
        EnterpriseId = EnterpriseId ?? "", Name = Name ?? "", Address = Address ?? "", RegionCode = RegionCode ?? "", IndustryCode = IndustryCode ?? "",
    };
}

public sealed record UpdateFactoryBody(long? ExpectedVersion, string? Name, string? Address, string? RegionCode, string? IndustryCode)
{
    public UpdateFactoryRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Name = Name ?? "", Address = Address ?? "", RegionCode = RegionCode ?? "",
        IndustryCode = IndustryCode ?? "",
    };
}

public sealed record PageDto<T>(IReadOnlyList<T> Items, int TotalSize, string? NextPageToken);

public sealed record RegionDto(string Code, string Name, string? ParentCode);

public sealed record IndustryDto(string Code, string Name);
