extern alias registry;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using registry::SmartFactory.Registry.Domain;
using static SmartFactory.Gateway.Tests.GatewayFixture;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// One city's records, made through the API as their owners make them: an enterprise with a factory in the city, its
/// basic application approved by the city (so a recognition awaits publicity), a published notice listing it, and an
/// objection to it with a PDF; the application carries a complete dossier; the city's draft recommendation list for the
/// advanced round, and the province's spot check of that recognition. The role matrix and the fuzz test reach every route's
/// records through these.
/// </summary>
public sealed record CityRecords(string Region, string CreditCode, string EnterpriseId, string EnterpriseName, string FactoryId, string FactoryName,
    string CampaignId, string ApplicationId, string RecognitionId, string NoticeId, string ItemId, string ObjectionId, string EvidenceId,
    string DossierFileId, string RecommendationListId, string SpotCheckRoundId, string SpotCheckId)
{
    /// <summary>The objector's identity, which only the publishing authority may see.</summary>
    public const string ObjectorName = "李四", ObjectorPhone = "13900139000";

    /// <summary>Every id, for tests that look for any of them in an answer.</summary>
    public IReadOnlyList<string> Ids => [EnterpriseId, FactoryId, ApplicationId, RecognitionId, NoticeId, ItemId, ObjectionId, EvidenceId, DossierFileId,
        RecommendationListId, SpotCheckRoundId, SpotCheckId];

    public static async Task<CityRecords> CreateAsync(GatewayFixture fixture, string region)
    {
        var city = fixture.City(region);
        var campaign = await fixture.BasicRound(region);
        var (creditCode, factoryId) = await fixture.RegisterFactory(region);
        var factory = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/factories/{factoryId}", fixture.Province);
        var enterpriseId = factory.GetProperty("enterpriseId").GetString()!;
        var enterpriseName = (await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/enterprises/{enterpriseId}", fixture.Province))
            .GetProperty("name").GetString()!;
        var enterprise = fixture.Enterprise(creditCode);
        var draft = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, Form(campaign, factoryId, maturity: 2));
        await fixture.CompleteDossier(Id(draft), creditCode);
        var dossierFileId = Id((await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/applications/{Id(draft)}/dossier", enterprise)).GetProperty("files")[0]);
        var submitted = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/submit", enterprise,
            new { expectedVersion = Version(draft) });
        var verified = await fixture.VerifyAll(Id(draft), Version(submitted), city);
        var approved = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/review", city,
            new { expectedVersion = Version(verified), action = "approve" });

        var notice = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/notices", city, new
        {
            title = $"{region} 基础级智能工厂拟认定名单公示", applicationIds = new[] { Id(draft) }, startsOn = fixture.NoticesClock.Today.Iso(),
            lengthWorkingDays = 1,
        });
        notice = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/notices/{Id(notice)}/publish", city,
            new { expectedVersion = Version(notice) });
        var itemId = Id(notice.GetProperty("items")[0]);

        using var client = fixture.ClientFrom(NewClientAddress());
        var pdf = new ByteArrayContent("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } };
        using var form = new MultipartFormDataContent
        {
            { new StringContent(itemId), "itemId" }, { new StringContent(ObjectorName), "objectorName" }, { new StringContent(ObjectorPhone), "contactPhone" },
            { new StringContent("申报材料与现场不符"), "grounds" }, { pdf, "evidence", "核查记录.pdf" },
        };
        var filed = await client.PostAsync($"/api/v1/notices/{Id(notice)}/objections", form);
        Assert.True(filed.StatusCode == HttpStatusCode.Created, await filed.Content.ReadAsStringAsync());
        var objection = (await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/notices/{Id(notice)}/objections", city))[0];

        var recognitionId = approved.GetProperty("recognitionId").GetString()!;
        var advanced = await fixture.AdvancedRound(new { regionCode = region, count = 5 });
        var list = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/recommendation-lists", city, new { campaignId = advanced });
        var round = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/spot-check-rounds", fixture.Province, new
        {
            name = $"{region} 基础级智能工厂抽查", levels = new[] { "basic" }, recognitionIds = new[] { recognitionId },
        });

        return new CityRecords(region, creditCode, enterpriseId, enterpriseName, factoryId, factory.GetProperty("name").GetString()!, campaign, Id(draft), recognitionId,
            Id(notice), itemId, Id(objection), Id(objection.GetProperty("evidence")[0]), dossierFileId, Id(list), Id(round), Id(round.GetProperty("checks")[0]));
    }
}
