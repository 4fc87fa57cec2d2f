using SmartFactory.Kernel;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.Registry.Tests;

/// <summary>Callers and reference data for domain tests, without I/O.</summary>
internal static class Scopes
{
    public static readonly CallerScope Wuhan = new("u1", "武汉市经信局", Role.City, "420100", null);
    public static readonly CallerScope Xiantao = new("u2", "仙桃市经信局", Role.City, "429004", null);
    public static readonly CallerScope Hubei = new("u3", "湖北省经信厅", Role.Province, "420000", null);
    public static readonly CallerScope Ministry = new("u4", "工信部", Role.Ministry, "000000", null);

    public static CallerScope Enterprise(string creditCode) => new("u5", "企业", Role.Enterprise, "", creditCode);

    public static readonly ReferenceData Reference = new(
        [new("420000", "湖北省", null), new("420100", "武汉市", "420000"), new("420600", "襄阳市", "420000"),
         new("429004", "仙桃市", "420000"), new("429005", "潜江市", "420000")],
        [new("26", "化学原料和化学制品制造业", "C"), new("36", "汽车制造业", "C"), new("07", "石油和天然气开采业", "B"), new("44", "电力、热力生产和供应业", "D")]);

}
