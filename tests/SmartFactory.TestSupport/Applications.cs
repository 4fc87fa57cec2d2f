using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.TestSupport;

/// <summary>Registry records the notices tests start from, made over gRPC as the platform's users would make them.</summary>
public static class Applications
{
    /// <summary>
    /// A new enterprise of <paramref name="region"/> with one factory, and its basic application submitted and approved
    /// by its city on <paramref name="today"/>: what a city's publicity notice lists. Answers it and the credit code.
    /// </summary>
    public static async Task<(Application Approved, string CreditCode)> ApprovedBasicAsync(CallInvoker registry, TestIssuer issuer, string region,
        DateOnly today)
    {
        var province = issuer.Token("province", "420000");
        var code = CreditCodes.New(region);
        var owner = await Call<RegisterEnterpriseRequest, Enterprise>(registry, "RegisterEnterprise", new()
        {
            CreditCode = code, Name = "企业" + code[^6..], RegionCode = region, IndustryCode = "34", Size = EnterpriseSize.Medium, Nature = EnterpriseNature.Private,
        }, province);
        var factory = await Call<RegisterFactoryRequest, Factory>(registry, "RegisterFactory", new()
        {
            EnterpriseId = owner.Id, Name = "智能工厂" + code[^6..], Address = "某路1号", RegionCode = region, IndustryCode = "34",
        }, province);
        var campaign = await BasicRoundAsync(registry, issuer, region, today);
        var enterprise = issuer.Token("enterprise", "", code);
        var draft = await Call<SaveApplicationRequest, Application>(registry, "SaveApplication", WithForm(new()
        {
            CampaignId = campaign.Id, FactoryId = factory.Id, CatalogEdition = campaign.CatalogEdition,
            ScenarioIds = { campaign.CatalogEdition == "2025" ? "2025-20" : "2024-09" },
            Maturity = new Maturity { Level = 2, AssessedOn = $"{today.AddDays(-30):yyyy-MM-dd}", CertificateRef = "SA-" + code[^6..] },
        }), enterprise);
        await Dossiers.CompleteAsync(registry, draft.Id, [.. draft.ScenarioIds], enterprise);
        var submitted = await Call<SubmitApplicationRequest, Application>(registry, "SubmitApplication",
            new() { Id = draft.Id, ExpectedVersion = draft.Version }, enterprise);
        var city = issuer.Token("city", region);
        var verified = await VerifyAllAsync(registry, submitted, city);
        var approved = await Call<ReviewApplicationRequest, Application>(registry, "ReviewApplication",
            new() { Id = verified.Id, ExpectedVersion = verified.Version, Action = ReviewAction.Approve }, city);
        return (approved, code);
    }

    /// <summary>
    /// The city's basic round open on <paramref name="today"/>: the round of the year whose 31 March comes next (003 第十条),
    /// inside the province's window for that year, both made when missing.
    /// </summary>
    public static async Task<Campaign> BasicRoundAsync(CallInvoker registry, TestIssuer issuer, string region, DateOnly today)
    {
        var year = today.Month <= 3 ? today.Year : today.Year + 1;
        var province = issuer.Token("province", "420000");
        var windows = await Call<ListRoundWindowsRequest, ListRoundWindowsResponse>(registry, "ListRoundWindows", new(), province);
        var window = windows.Windows.SingleOrDefault(w => w.Year == year)
            ?? await Call<SetRoundWindowRequest, RoundWindow>(registry, "SetRoundWindow", new() { Year = year, OpensOn = $"{year - 1}-01-01" }, province);
        var campaigns = await Call<ListCampaignsRequest, ListCampaignsResponse>(registry, "ListCampaigns", new() { Year = year }, province);
        // From 8 January 2026 a round cites the 2025 catalog (004); open there when the day allows.
        var opens = today >= new DateOnly(2026, 1, 8) && DateOnly.Parse(window.OpensOn) < new DateOnly(2026, 1, 8) ? new DateOnly(2026, 1, 8) : DateOnly.Parse(window.OpensOn);
        return campaigns.Campaigns.SingleOrDefault(c => c.Level == Level.Basic && c.RegionCode == region)
            ?? await Call<CreateCampaignRequest, Campaign>(registry, "CreateCampaign", new()
            {
                Level = Level.Basic, Year = year, SubmissionOpensOn = $"{opens:yyyy-MM-dd}", SubmissionClosesOn = window.CompleteBy,
            }, issuer.Token("city", region));
    }

    /// <summary>
    /// The round of the level open on <paramref name="today"/>: the city's basic round (<see cref="BasicRoundAsync"/>), the
    /// province's advanced round (complete by the 30 June to come, 003 第十二条, with quotas for the cities), or the ministry's
    /// round of excellent or leading (a quota for the province); each made when missing.
    /// </summary>
    public static async Task<Campaign> RoundAsync(CallInvoker registry, TestIssuer issuer, Level level, string region, DateOnly today)
    {
        if (level == Level.Basic) return await BasicRoundAsync(registry, issuer, region, today);
        var year = level == Level.Advanced && today.Month > 6 ? today.Year + 1 : today.Year;
        var province = issuer.Token("province", "420000");
        var existing = (await Call<ListCampaignsRequest, ListCampaignsResponse>(registry, "ListCampaigns", new() { Year = year }, province))
            .Campaigns.SingleOrDefault(c => c.Level == level);
        if (existing is not null) return existing;
        var request = new CreateCampaignRequest
        {
            Level = level, Year = year, SubmissionOpensOn = $"{today.AddDays(-10):yyyy-MM-dd}",
            SubmissionClosesOn = level == Level.Advanced ? $"{year}-06-30" : $"{today.AddDays(30):yyyy-MM-dd}",
            DecisionDueOn = level == Level.Advanced ? "" : $"{today.AddDays(90):yyyy-MM-dd}",
        };
        if (level == Level.Advanced) request.Quotas.Add(new[] { "420100", "420200", "420500", "420600", "421000", "421100" }.Select(r => new Quota { RegionCode = r, Count = 20 }));
        else request.Quotas.Add(new Quota { RegionCode = "420000", Count = 20 });
        return await Call<CreateCampaignRequest, Campaign>(registry, "CreateCampaign", request,
            level >= Level.Excellent ? issuer.Token("ministry", "000000") : province);
    }

    /// <summary>The basic-requirements checklist all declared met, with last year's revenue and the legal form.</summary>
    public static SaveApplicationRequest WithForm(SaveApplicationRequest request)
    {
        request.TruthfulnessDeclared = true;
        request.LastYearRevenue = 12000;
        request.LegalForm = LegalForm.Independent;
        request.Declarations.AddRange(RequirementCodes.Select(c => new Declaration { Code = c, Affirmed = true }));
        return request;
    }

    public static readonly string[] RequirementCodes =
        ["legal_person", "above_designated_size", "not_listed", "products_permitted", "sound_finances", "no_serious_accident", "secure_controllable", "organisation_and_people"];

    /// <summary>The reviewer's finding that every declared requirement is met, as approval needs.</summary>
    public static Task<Application> VerifyAllAsync(CallInvoker registry, Application application, string reviewerToken) =>
        Call<VerifyDeclarationsRequest, Application>(registry, "VerifyDeclarations", new()
        {
            Id = application.Id, ExpectedVersion = application.Version,
            Verifications = { RequirementCodes.Select(c => new DeclarationVerification { Code = c, Confirmed = true }) },
        }, reviewerToken);

    private static Task<TResponse> Call<TRequest, TResponse>(CallInvoker registry, string method, TRequest request, string token)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>, new() where TResponse : class, Google.Protobuf.IMessage<TResponse>, new() =>
        registry.Unary<TRequest, TResponse>(GrpcTesting.Find(method, RegistryService.Descriptor, LifecycleService.Descriptor), request, token);
}
