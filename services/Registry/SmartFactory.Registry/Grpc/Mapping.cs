using Google.Protobuf.WellKnownTypes;
using SmartFactory.Registry.Domain;
using V1 = SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Registry.Grpc;

/// <summary>Domain records to and from the v1 contract.</summary>
internal static class Mapping
{
    public static V1.Enterprise ToMessage(this Enterprise e) => new()
    {
        Id = e.Id.ToString(),
        CreditCode = e.CreditCode,
        Name = e.Name,
        RegionCode = e.RegionCode,
        IndustryCode = e.IndustryCode,
        Size = e.Size switch
        {
            EnterpriseSize.Large => V1.EnterpriseSize.Large,
            EnterpriseSize.Medium => V1.EnterpriseSize.Medium,
            EnterpriseSize.Small => V1.EnterpriseSize.Small,
            _ => V1.EnterpriseSize.Micro,
        },
        Nature = e.Nature switch
        {
            EnterpriseNature.StateOwned => V1.EnterpriseNature.StateOwned,
            EnterpriseNature.Private => V1.EnterpriseNature.Private,
            EnterpriseNature.Foreign => V1.EnterpriseNature.Foreign,
            EnterpriseNature.HongKongMacaoTaiwan => V1.EnterpriseNature.HkMacaoTaiwan,
            EnterpriseNature.Collective => V1.EnterpriseNature.Collective,
            _ => V1.EnterpriseNature.Other,
        },
        Version = e.Version,
        CreatedAt = Timestamp.FromDateTime(e.CreatedAt),
        UpdatedAt = Timestamp.FromDateTime(e.UpdatedAt),
    };

    public static V1.Factory ToMessage(this Factory f) => new()
    {
        Id = f.Id.ToString(),
        EnterpriseId = f.EnterpriseId.ToString(),
        EnterpriseName = f.EnterpriseName,
        Name = f.Name,
        Address = f.Address,
        RegionCode = f.RegionCode,
        IndustryCode = f.IndustryCode,
        Version = f.Version,
        CreatedAt = Timestamp.FromDateTime(f.CreatedAt),
        UpdatedAt = Timestamp.FromDateTime(f.UpdatedAt),
    };

    public static EnterpriseSize? ToDomain(this V1.EnterpriseSize size) => size switch
    {
        V1.EnterpriseSize.Large => EnterpriseSize.Large,
        V1.EnterpriseSize.Medium => EnterpriseSize.Medium,
        V1.EnterpriseSize.Small => EnterpriseSize.Small,
        V1.EnterpriseSize.Micro => EnterpriseSize.Micro,
        _ => null,
    };

    public static EnterpriseNature? ToDomain(this V1.EnterpriseNature nature) => nature switch
    {
        V1.EnterpriseNature.StateOwned => EnterpriseNature.StateOwned,
        V1.EnterpriseNature.Private => EnterpriseNature.Private,
        V1.EnterpriseNature.Foreign => EnterpriseNature.Foreign,
        V1.EnterpriseNature.HkMacaoTaiwan => EnterpriseNature.HongKongMacaoTaiwan,
        V1.EnterpriseNature.Collective => EnterpriseNature.Collective,
        V1.EnterpriseNature.Other => EnterpriseNature.Other,
        _ => null,
    };
}
