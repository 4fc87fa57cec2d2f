using Grpc.Core;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// REST/JSON for campaigns, applications and recognitions under /api/v1, each route one LifecycleService call with the
/// caller's token. The change feed stays gRPC-only: it is for the platform's services, not for people.
/// </summary>
public static class LifecycleEndpoints
{
    public static RouteGroupBuilder MapLifecycleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiV1("Lifecycle");
        MapCampaigns(api);
        MapApplications(api);
        MapRecognitions(api);

        // The province's view also warns of what the working-day calendar lacks (next year's, from 1 November).
        api.MapGet("/deadlines", async (LifecycleClient lifecycle, NoticesClient notices, HttpContext http, int? withinDays) =>
        {
            var deadlines = (await lifecycle.ListDeadlinesAsync(new() { WithinDays = withinDays ?? 0 })).Deadlines.Select(DeadlineDto.From).ToList();
            return Results.Ok(new DeadlinesDto(deadlines, http.User.IsInRole("province") ? await CalendarWarningsAsync(notices) : []));
        }).WithName("ListDeadlines").Produces<DeadlinesDto>().ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    // The deadlines stand without the notices service: its being down is a warning here, not the route's failure.
    private static async Task<IReadOnlyList<string>> CalendarWarningsAsync(NoticesClient notices)
    {
        try { return [.. (await notices.ListCalendarYearsAsync(new())).Warnings]; }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return ["the working-day calendar could not be checked just now (the notices service did not answer)"];
        }
    }

    private static void MapCampaigns(RouteGroupBuilder api)
    {
        api.MapGet("/campaigns", async (LifecycleClient lifecycle, int? year) =>
            Results.Ok((await lifecycle.ListCampaignsAsync(new() { Year = year ?? 0 }))
                .Campaigns.Select(CampaignDto.From)))
            .WithName("ListCampaigns").Produces<IEnumerable<CampaignDto>>();

        // No route reads one campaign, so the answer carries no Location; GET /campaigns?year= lists it.
        api.MapPost("/campaigns", (LifecycleClient lifecycle, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<CreateCampaignBody>(request, json.Value.SerializerOptions, async body =>
                Results.Created((string?)null, CampaignDto.From(await lifecycle.CreateCampaignAsync(body.ToRequest())))))
            .WithName("CreateCampaign").Accepts<CreateCampaignBody>("application/json").Produces<CampaignDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/campaigns/{id}", (LifecycleClient lifecycle, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<UpdateCampaignBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(CampaignDto.From(await lifecycle.UpdateCampaignAsync(body.ToRequest(id))))))
            .WithName("UpdateCampaign").Accepts<UpdateCampaignBody>("application/json").Produces<CampaignDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/campaigns/{id}/extension", (LifecycleClient lifecycle, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<ExtensionBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(CampaignDto.From(await lifecycle.ExtendCampaignAsync(body.ToRequest(id))))))
            .WithName("ExtendCampaign").Accepts<ExtensionBody>("application/json").Produces<CampaignDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/campaigns/{id}/close", (LifecycleClient lifecycle, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<VersionBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(CampaignDto.From(await lifecycle.CloseCampaignAsync(new() { Id = id, ExpectedVersion = body.ExpectedVersion ?? 0 })))))
            .WithName("CloseCampaign").Accepts<VersionBody>("application/json").Produces<CampaignDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/round-windows", async (LifecycleClient lifecycle) =>
            Results.Ok((await lifecycle.ListRoundWindowsAsync(new())).Windows.Select(RoundWindowDto.From)))
            .WithName("ListRoundWindows").Produces<IEnumerable<RoundWindowDto>>();

        api.MapPut("/round-windows/{year:int}", (LifecycleClient lifecycle, int year, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<RoundWindowBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(RoundWindowDto.From(await lifecycle.SetRoundWindowAsync(body.ToRequest(year))))))
            .WithName("SetRoundWindow").Accepts<RoundWindowBody>("application/json").Produces<RoundWindowDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/national-decisions", async (LifecycleClient lifecycle, int? year) =>
            Results.Ok((await lifecycle.ListNationalDecisionsAsync(new() { Year = year ?? 0 })).Decisions.Select(NationalDecisionDto.From)))
            .WithName("ListNationalDecisions").Produces<IEnumerable<NationalDecisionDto>>();

        api.MapPost("/national-decisions", (LifecycleClient lifecycle, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<NationalDecisionBody>(request, json.Value.SerializerOptions, async body =>
                Results.Created((string?)null, NationalDecisionDto.From(await lifecycle.RecordNationalDecisionAsync(body.ToRequest())))))
            .WithName("RecordNationalDecision").Accepts<NationalDecisionBody>("application/json").Produces<NationalDecisionDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapApplications(RouteGroupBuilder api)
    {
        api.MapGet("/applications", async (LifecycleClient lifecycle, string? campaignId, string? status, string? level, int? pageSize, string? pageToken) =>
        {
            var problems = new List<ProblemField>();
            var request = new ListApplicationsRequest
            {
                CampaignId = campaignId ?? "", Status = Wire.Filter<ApplicationStatus>(status, "status", problems),
                Level = Wire.Filter<Level>(level, "level", problems), PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            };
            if (problems.Count > 0) return Problems.BadRequest([.. problems]);
            var response = await lifecycle.ListApplicationsAsync(request);
            return Results.Ok(new PageDto<ApplicationDto>([.. response.Applications.Select(ApplicationDto.From)], response.TotalSize,
                Wire.NullIfEmpty(response.NextPageToken)));
        }).WithName("ListApplications").Produces<PageDto<ApplicationDto>>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/applications/{id}", async (LifecycleClient lifecycle, string id) =>
            Results.Ok(ApplicationDto.From(await lifecycle.GetApplicationAsync(new() { Id = id }))))
            .WithName("GetApplication").Produces<ApplicationDto>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/applications", (LifecycleClient lifecycle, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<CreateApplicationBody>(request, json.Value.SerializerOptions, async body =>
            {
                var created = await lifecycle.SaveApplicationAsync(body.ToRequest());
                return Results.Created($"/api/v1/applications/{created.Id}", ApplicationDto.From(created));
            }))
            .WithName("CreateApplication").Accepts<CreateApplicationBody>("application/json").Produces<ApplicationDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/applications/{id}", (LifecycleClient lifecycle, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<UpdateApplicationBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(ApplicationDto.From(await lifecycle.SaveApplicationAsync(body.ToRequest(id))))))
            .WithName("UpdateApplication").Accepts<UpdateApplicationBody>("application/json").Produces<ApplicationDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/applications/{id}/submit", (LifecycleClient lifecycle, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<VersionBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(ApplicationDto.From(await lifecycle.SubmitApplicationAsync(new() { Id = id, ExpectedVersion = body.ExpectedVersion ?? 0 })))))
            .WithName("SubmitApplication").Accepts<VersionBody>("application/json").Produces<ApplicationDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/applications/{id}/review", (LifecycleClient lifecycle, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<ReviewBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(ApplicationDto.From(await lifecycle.ReviewApplicationAsync(body.ToRequest(id))))))
            .WithName("ReviewApplication").Accepts<ReviewBody>("application/json").Produces<ApplicationDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/applications/{id}/verifications", (LifecycleClient lifecycle, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<VerificationsBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(ApplicationDto.From(await lifecycle.VerifyDeclarationsAsync(body.ToRequest(id))))))
            .WithName("VerifyDeclarations").Accepts<VerificationsBody>("application/json").Produces<ApplicationDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // The recognizing authority, after publicity. A repeated requestId answers the first result unchanged (200 both times).
        api.MapPost("/applications/{id}/take-effect", (LifecycleClient lifecycle, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<TakeEffectBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(RecognitionDto.From(await lifecycle.TakeEffectAsync(body.ToRequest(id))))))
            .WithName("TakeEffect").Accepts<TakeEffectBody>("application/json").Produces<RecognitionDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapRecognitions(RouteGroupBuilder api)
    {
        api.MapGet("/recognitions", async (LifecycleClient lifecycle, string? factoryId, string? level, string? status, int? pageSize, string? pageToken) =>
        {
            var problems = new List<ProblemField>();
            var request = new ListRecognitionsRequest
            {
                FactoryId = factoryId ?? "", Level = Wire.Filter<Level>(level, "level", problems),
                Status = Wire.Filter<RecognitionStatus>(status, "status", problems), PageSize = pageSize ?? 0, PageToken = pageToken ?? "",
            };
            if (problems.Count > 0) return Problems.BadRequest([.. problems]);
            var response = await lifecycle.ListRecognitionsAsync(request);
            return Results.Ok(new PageDto<RecognitionDto>([.. response.Recognitions.Select(RecognitionDto.From)], response.TotalSize,
                Wire.NullIfEmpty(response.NextPageToken)));
        }).WithName("ListRecognitions").Produces<PageDto<RecognitionDto>>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/recognitions/{id}", async (LifecycleClient lifecycle, string id) =>
            Results.Ok(RecognitionDto.From(await lifecycle.GetRecognitionAsync(new() { Id = id }))))
            .WithName("GetRecognition").Produces<RecognitionDto>().ProducesProblem(StatusCodes.Status404NotFound);

        MapStep<VersionBody, RecognitionActionRequest>(api, "/recognitions/{id}/renewal", "ApplyForRenewal", (c, r) => c.ApplyForRenewalAsync(r), (id, body) => body.ToRequest(id));
        MapStep<DecisionBody, DecisionRequest>(api, "/recognitions/{id}/renewal/decision", "DecideRenewal", (c, r) => c.DecideRenewalAsync(r), (id, body) => body.ToRequest(id));
        MapStep<VersionBody, RecognitionActionRequest>(api, "/recognitions/{id}/acceptance", "ApplyForAcceptance", (c, r) => c.ApplyForAcceptanceAsync(r), (id, body) => body.ToRequest(id));
        MapStep<DecisionBody, DecisionRequest>(api, "/recognitions/{id}/acceptance/preliminary-check", "RecordPreliminaryCheck", (c, r) => c.RecordPreliminaryCheckAsync(r), (id, body) => body.ToRequest(id));
        MapStep<DecisionBody, DecisionRequest>(api, "/recognitions/{id}/acceptance/decision", "DecideAcceptance", (c, r) => c.DecideAcceptanceAsync(r), (id, body) => body.ToRequest(id));
        MapStep<RemovalBody, RemoveRecognitionRequest>(api, "/recognitions/{id}/removal", "RemoveRecognition", (c, r) => c.RemoveRecognitionAsync(r), (id, body) => body.ToRequest(id));
        MapStep<RevocationBody, RevokeRecognitionRequest>(api, "/recognitions/{id}/revocation", "RevokeRecognition", (c, r) => c.RevokeRecognitionAsync(r), (id, body) => body.ToRequest(id));
        MapStep<PlaqueBody, RecordPlaqueRequest>(api, "/recognitions/{id}/plaque", "RecordPlaque", (c, r) => c.RecordPlaqueAsync(r), (id, body) => body.ToRequest(id));
    }

    /// <summary>A step in a recognition's life: POST a body, one gRPC method, the recognition after the step.</summary>
    private static void MapStep<TBody, TRequest>(RouteGroupBuilder api, string pattern, string method,
        Func<LifecycleClient, TRequest, AsyncUnaryCall<Recognition>> call, Func<string, TBody, TRequest> toRequest)
        where TBody : class where TRequest : Google.Protobuf.IMessage<TRequest>
    {
        api.MapPost(pattern, (LifecycleClient lifecycle, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<TBody>(request, json.Value.SerializerOptions, async body =>
            {
                // proto3 cannot tell false from absent: a decision must say which, or an omission would read as a failure.
                if (body is DecisionBody { Passed: null }) return Problems.BadRequest(new ProblemField("passed", "is required: true or false"));
                return Results.Ok(RecognitionDto.From(await call(lifecycle, toRequest(id, body))));
            }))
            .WithName(method).Accepts<TBody>("application/json").Produces<RecognitionDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
