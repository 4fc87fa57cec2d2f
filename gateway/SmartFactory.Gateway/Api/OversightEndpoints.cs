using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MiniExcelLibs;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// REST/JSON for recommendation lists (推荐汇总表) and spot checks (抽查) under /api/v1, each route one call to the
/// registry's RecommendationService or SpotCheckService with the caller's token; the export renders a list as XLSX here.
/// </summary>
public static class OversightEndpoints
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static RouteGroupBuilder MapOversightApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiV1("Oversight");
        MapRecommendations(api);
        MapSpotChecks(api);
        return api;
    }

    private static void MapRecommendations(RouteGroupBuilder api)
    {
        api.MapGet("/recommendation-lists", async (RecommendationClient recommendations, string? campaignId) =>
            Results.Ok((await recommendations.ListRecommendationListsAsync(new() { CampaignId = campaignId ?? "" })).Lists.Select(RecommendationListDto.From)))
            .WithName("ListRecommendationLists").Produces<IEnumerable<RecommendationListDto>>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/recommendation-lists/{id}", async (RecommendationClient recommendations, string id) =>
            Results.Ok(RecommendationListDto.From(await recommendations.GetRecommendationListAsync(new() { Id = id }))))
            .WithName("GetRecommendationList").Produces<RecommendationListDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/recommendation-lists", (RecommendationClient recommendations, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<CreateRecommendationListBody>(request, json.Value.SerializerOptions, async body =>
            {
                var created = await recommendations.CreateRecommendationListAsync(new() { CampaignId = body.CampaignId ?? "" });
                return Results.Created($"/api/v1/recommendation-lists/{created.Id}", RecommendationListDto.From(created));
            }))
            .WithName("CreateRecommendationList").Accepts<CreateRecommendationListBody>("application/json").Produces<RecommendationListDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/recommendation-lists/{id}/entries", (RecommendationClient recommendations, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<RecommendationEntriesBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(RecommendationListDto.From(await recommendations.SetRecommendationEntriesAsync(body.ToRequest(id))))))
            .WithName("SetRecommendationEntries").Accepts<RecommendationEntriesBody>("application/json").Produces<RecommendationListDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/recommendation-lists/{id}/submit", (RecommendationClient recommendations, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<VersionBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(RecommendationListDto.From(await recommendations.SubmitRecommendationListAsync(
                    new() { Id = id, ExpectedVersion = body.ExpectedVersion ?? 0 })))))
            .WithName("SubmitRecommendationList").Accepts<VersionBody>("application/json").Produces<RecommendationListDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // The list as the spreadsheet the authorities exchange (推荐汇总表), rank first; whoever reads the list may export it.
        api.MapGet("/recommendation-lists/{id}/export", async (RecommendationClient recommendations, string id) =>
        {
            var list = await recommendations.GetRecommendationListAsync(new() { Id = id });
            return Results.Bytes(Spreadsheet(list), XlsxType, FileName(list));
        }).WithName("ExportRecommendationList").Produces(StatusCodes.Status200OK, typeof(Stream), XlsxType).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapSpotChecks(RouteGroupBuilder api)
    {
        api.MapGet("/spot-check-rounds", async (SpotCheckClient spotChecks) =>
            Results.Ok((await spotChecks.ListSpotCheckRoundsAsync(new())).Rounds.Select(SpotCheckRoundDto.From)))
            .WithName("ListSpotCheckRounds").Produces<IEnumerable<SpotCheckRoundDto>>();

        api.MapGet("/spot-check-rounds/{id}", async (SpotCheckClient spotChecks, string id) =>
            Results.Ok(SpotCheckRoundDto.From(await spotChecks.GetSpotCheckRoundAsync(new() { Id = id }))))
            .WithName("GetSpotCheckRound").Produces<SpotCheckRoundDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/spot-check-rounds", (SpotCheckClient spotChecks, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<CreateSpotCheckRoundBody>(request, json.Value.SerializerOptions, async body =>
            {
                var created = await spotChecks.CreateSpotCheckRoundAsync(body.ToRequest());
                return Results.Created($"/api/v1/spot-check-rounds/{created.Id}", SpotCheckRoundDto.From(created));
            }))
            .WithName("CreateSpotCheckRound").Accepts<CreateSpotCheckRoundBody>("application/json").Produces<SpotCheckRoundDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/spot-checks", async (SpotCheckClient spotChecks, string? roundId, int? pageSize, string? pageToken) =>
        {
            var response = await spotChecks.ListSpotChecksAsync(new() { RoundId = roundId ?? "", PageSize = pageSize ?? 0, PageToken = pageToken ?? "" });
            return Results.Ok(new PageDto<SpotCheckDto>([.. response.Checks.Select(SpotCheckDto.From)], response.TotalSize, Wire.NullIfEmpty(response.NextPageToken)));
        }).WithName("ListSpotChecks").Produces<PageDto<SpotCheckDto>>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/spot-checks/{id}", async (SpotCheckClient spotChecks, string id) =>
            Results.Ok(SpotCheckDto.From(await spotChecks.GetSpotCheckAsync(new() { Id = id }))))
            .WithName("GetSpotCheck").Produces<SpotCheckDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/spot-checks/{id}/outcome", (SpotCheckClient spotChecks, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<SpotCheckOutcomeBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(SpotCheckDto.From(await spotChecks.RecordSpotCheckOutcomeAsync(body.ToRequest(id))))))
            .WithName("RecordSpotCheckOutcome").Accepts<SpotCheckOutcomeBody>("application/json").Produces<SpotCheckDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/spot-checks/{id}/follow-up", (SpotCheckClient spotChecks, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<SpotCheckFollowUpBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(SpotCheckDto.From(await spotChecks.RecordSpotCheckFollowUpAsync(body.ToRequest(id))))))
            .WithName("RecordSpotCheckFollowUp").Accepts<SpotCheckFollowUpBody>("application/json").Produces<SpotCheckDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>One row per entry in rank order, under the Chinese headers of the form.</summary>
    public static byte[] Spreadsheet(RecommendationList list)
    {
        var rows = list.Entries.OrderBy(e => e.Rank).Select(e => new Dictionary<string, object>
        {
            ["排序"] = e.Rank,
            ["企业名称"] = e.EnterpriseName,
            ["工厂名称"] = e.FactoryName,
            ["所在地区"] = e.RegionName.Length > 0 ? e.RegionName : e.RegionCode,
            ["所属行业"] = e.IndustryName.Length > 0 ? $"{e.IndustryCode} {e.IndustryName}" : e.IndustryCode,
            ["智能制造成熟度等级"] = e.MaturityLevel == 0 ? "" : e.MaturityLevel,
            ["推荐理由"] = e.Reason,
        }).ToList();
        using var stream = new MemoryStream();
        // An empty draft still exports its headers, so the sheet never comes out blank.
        if (rows.Count == 0) rows.Add(new Dictionary<string, object> { ["排序"] = "", ["企业名称"] = "", ["工厂名称"] = "", ["所在地区"] = "", ["所属行业"] = "", ["智能制造成熟度等级"] = "", ["推荐理由"] = "" });
        stream.SaveAs(rows, sheetName: "推荐汇总表");
        return stream.ToArray();
    }

    /// <summary>e.g. 2026年武汉市先进级智能工厂推荐汇总表.xlsx (sent as RFC 5987 filename*, with an ASCII fallback).</summary>
    public static string FileName(RecommendationList list) =>
        $"{list.Year}年{list.RecommenderName}{Chinese(list.Level)}智能工厂推荐汇总表.xlsx";

    private static string Chinese(Level level) => level switch
    {
        Level.Basic => "基础级", Level.Advanced => "先进级", Level.Excellent => "卓越级", _ => "领航级",
    };
}
