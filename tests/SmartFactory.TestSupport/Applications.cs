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
        var campaigns = await Call<ListCampaignsRequest, ListCampaignsResponse>(registry, "ListCampaigns", new() { Year = today.Year }, province);
        var campaign = campaigns.Campaigns.SingleOrDefault(c => c.Level == Level.Basic)
            ?? await Call<CreateCampaignRequest, Campaign>(registry, "CreateCampaign", new()
            {
                Level = Level.Basic, Year = today.Year, SubmissionOpensOn = $"{today.Year}-01-01", SubmissionClosesOn = $"{today.Year}-12-31",
                DecisionDueOn = $"{today.Year}-12-31",
            }, province);
        var enterprise = issuer.Token("enterprise", "", code);
        var draft = await Call<SaveApplicationRequest, Application>(registry, "SaveApplication", new()
        {
            CampaignId = campaign.Id, FactoryId = factory.Id, CatalogEdition = "2025", ScenarioIds = { "2025-20" }, TruthfulnessDeclared = true,
            Maturity = new Maturity { Level = 2, AssessedOn = $"{today.AddDays(-30):yyyy-MM-dd}", CertificateRef = "SA-" + code[^6..] },
        }, enterprise);
        await Dossiers.CompleteAsync(registry, draft.Id, ["2025-20"], enterprise);
        var submitted = await Call<SubmitApplicationRequest, Application>(registry, "SubmitApplication",
            new() { Id = draft.Id, ExpectedVersion = draft.Version }, enterprise);
        var approved = await Call<ReviewApplicationRequest, Application>(registry, "ReviewApplication",
            new() { Id = submitted.Id, ExpectedVersion = submitted.Version, Action = ReviewAction.Approve }, issuer.Token("city", region));
        return (approved, code);
    }

    private static Task<TResponse> Call<TRequest, TResponse>(CallInvoker registry, string method, TRequest request, string token)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>, new() where TResponse : class, Google.Protobuf.IMessage<TResponse>, new() =>
        registry.Unary<TRequest, TResponse>(GrpcTesting.Find(method, RegistryService.Descriptor, LifecycleService.Descriptor), request, token);
}
