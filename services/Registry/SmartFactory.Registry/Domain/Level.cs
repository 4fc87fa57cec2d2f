using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

/// <summary>The four levels of the gradient (梯度): 基础级, 先进级, 卓越级, 领航级.</summary>
public enum Level { Basic = 1, Advanced = 2, Excellent = 3, Leading = 4 }

/// <summary>What each level asks and who decides it (DOMAIN.md "Levels"; seed 003 第九-十六条, seed 004 五-九).</summary>
public static class LevelRules
{
    /// <summary>Every recognized level is valid for 3 years from taking effect (003 第十五条).</summary>
    public const int ValidityYears = 3;
    /// <summary>Re-examination (复核) must be applied for no later than 3 months before expiry (004 五, 九).</summary>
    public const int RenewalLeadMonths = 3;
    /// <summary>A leading factory's cultivation period (培育期) lasts at most 2 years from selection (004 六).</summary>
    public const int CultivationYears = 2;
    /// <summary>The acceptance application is due 3 months before the cultivation period ends (004 八).</summary>
    public const int AcceptanceLeadMonths = 3;
    /// <summary>A removed factory's enterprise may not apply again for 3 years (003 第二十条).</summary>
    public const int BanYears = 3;

    public static string Chinese(this Level level) => level switch
    {
        Level.Basic => "基础级", Level.Advanced => "先进级", Level.Excellent => "卓越级", _ => "领航级",
    };

    /// <summary>GB/T 39116-2020 maturity: level 2 for basic and advanced, 3 for excellent, 4 for leading (003 第十六条).</summary>
    public static int MinimumMaturity(this Level level) => level switch
    {
        Level.Basic or Level.Advanced => 2, Level.Excellent => 3, _ => 4,
    };

    /// <summary>Advanced needs a current basic, excellent a current advanced, leading a current excellent.</summary>
    public static Level? Prerequisite(this Level level) => level == Level.Basic ? null : level - 1;

    /// <summary>The city recognizes basic, the province advanced, the ministry excellent and leading.</summary>
    public static Role Recognizer(this Level level) => level switch
    {
        Level.Basic => Role.City, Level.Advanced => Role.Province, _ => Role.Ministry,
    };

    /// <summary>Who recommends to the recognizer, within a quota: the city for advanced, the province above.</summary>
    public static Role? Recommender(this Level level) => level switch
    {
        Level.Basic => null, Level.Advanced => Role.City, _ => Role.Province,
    };

    /// <summary>Excellent and leading renew by re-examination; basic and advanced simply expire.</summary>
    public static bool RenewsByReexamination(this Level level) => level >= Level.Excellent;

    /// <summary>
    /// Construction coverage: basic at least 生产作业; advanced 生产作业, 生产管理 and 运营管理; excellent and leading all
    /// five areas, which for excellent is "in principle" (a warning) and for leading a requirement.
    /// </summary>
    public static IReadOnlySet<ConstructionArea> RequiredAreas(this Level level) => level switch
    {
        Level.Basic => new HashSet<ConstructionArea> { ConstructionArea.ProductionOperations },
        Level.Advanced => new HashSet<ConstructionArea>
            { ConstructionArea.ProductionOperations, ConstructionArea.ProductionManagement, ConstructionArea.OperationsManagement },
        _ => Enum.GetValues<ConstructionArea>().ToHashSet(),
    };

    public static bool CoverageIsOnlyAdvice(this Level level) => level == Level.Excellent;

    public static string Chinese(this ConstructionArea area) => area switch
    {
        ConstructionArea.FactoryConstruction => "工厂建设",
        ConstructionArea.RndDesign => "研发设计",
        ConstructionArea.ProductionOperations => "生产作业",
        ConstructionArea.ProductionManagement => "生产管理",
        _ => "运营管理",
    };

    /// <summary>
    /// Who recognizes manages (谁认定、谁管理, 004 四): the city its basic factories, the province advanced ones and, as the
    /// supervisor that spot-checks them (003 第五条, 第十条), basic ones too; excellent and leading are the ministry's alone:
    /// the province recommends and reports, it does not decide.
    /// </summary>
    public static bool MayManage(this CallerScope caller, Level level) => caller.Role switch
    {
        Role.City => level == Level.Basic,
        Role.Province => level <= Level.Advanced,
        Role.Ministry => level >= Level.Excellent,
        _ => false,
    };

    /// <summary>The yearly deadline of a round, publicity and filing included: basic by 31 March, advanced by 30 June (003 第十、十二条, from 2025).</summary>
    public static DateOnly? RoundDeadline(this Level level, int year) => level switch
    {
        Level.Basic => new DateOnly(year, 3, 31),
        Level.Advanced => new DateOnly(year, 6, 30),
        _ => null,
    };
}
