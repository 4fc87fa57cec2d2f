using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SmartFactory.Contracts.Notices.V1;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// REST/JSON for publicity notices (公示) under /api/v1, each route one NoticesService call. Published notices and
/// filing an objection are public (no token); drafting, publishing, reading objections and their evidence, resolving
/// and closing are the publishing authority's, with its token.
/// </summary>
public static class NoticesEndpoints
{
    private const string Tag = "Notices";
    private static readonly string[] EvidenceTypes = ["application/pdf", "image/jpeg", "image/png"];

    public static void MapNoticesApi(this IEndpointRouteBuilder app)
    {
        MapPublic(app.MapPublicApiV1(Tag));
        MapAuthority(app.MapApiV1(Tag));
    }

    private static void MapPublic(RouteGroupBuilder api)
    {
        // Published and closed notices, newest first; with includeDrafts=true (and a token) the authority's drafts too.
        api.MapGet("/notices", async (NoticesClient notices, int? pageSize, string? pageToken, bool? includeDrafts) =>
        {
            var response = await notices.ListNoticesAsync(new()
            {
                PageSize = pageSize ?? 0, PageToken = pageToken ?? "", IncludeDrafts = includeDrafts ?? false,
            });
            return Results.Ok(new PageDto<NoticeDto>([.. response.Notices.Select(NoticeDto.From)], response.TotalSize,
                Wire.NullIfEmpty(response.NextPageToken)));
        }).WithName("ListNotices").Produces<PageDto<NoticeDto>>().ProducesProblem(StatusCodes.Status400BadRequest)
          .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/notices/{id}", async (NoticesClient notices, string id) =>
            Results.Ok(NoticeDto.From(await notices.GetNoticeAsync(new() { Id = id }))))
            .WithName("GetNotice").Produces<NoticeDto>().ProducesProblem(StatusCodes.Status404NotFound);

        // Anyone, with real name and contact, during the period: fields and up to 5 files named "evidence". The answer is a
        // receipt; the same Idempotency-Key again answers the first receipt.
        api.MapPost("/notices/{id}/objections", (NoticesClient notices, string id, HttpRequest request) =>
            FormBody.HandleAsync(request, async form =>
            {
                var misnamed = form.Files.Select(f => f.Name).Where(name => name != "evidence").Distinct().ToList();
                if (misnamed.Count > 0) return Problems.BadRequest([.. misnamed.Select(name => name.Length == 0
                    ? new ProblemField("body", "has a file part without a name: files go in fields named evidence")
                    : new ProblemField(name, "files go in fields named evidence"))]);
                var objection = new FileObjectionRequest
                {
                    NoticeId = id, ItemId = form["itemId"].ToString(), ObjectorName = form["objectorName"].ToString(),
                    ContactPhone = form["contactPhone"].ToString(), Organisation = form["organisation"].ToString(), Grounds = form["grounds"].ToString(),
                    IdempotencyKey = request.Headers["Idempotency-Key"].ToString(),
                };
                foreach (var file in form.Files.GetFiles("evidence"))
                {
                    await using var content = file.OpenReadStream();
                    objection.Evidence.Add(new EvidenceFile
                    {
                        // The service checks the type against the content; "no type" is what a generic octet-stream says.
                        FileName = file.FileName, ContentType = file.ContentType is "application/octet-stream" ? "" : file.ContentType ?? "",
                        Content = await ByteString.FromStreamAsync(content, request.HttpContext.RequestAborted),
                    });
                }
                var receipt = await notices.FileObjectionAsync(objection);
                return Results.Created((string?)null, ObjectionReceiptDto.From(receipt));
            }))
            .WithName("FileObjection").Accepts<ObjectionForm>("multipart/form-data").Produces<ObjectionReceiptDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            // Five files of 10 MiB and the fields: this route only, the server's 30 MB default elsewhere.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Clients.MaxNoticesMessageBytes));
    }

    private static void MapAuthority(RouteGroupBuilder api)
    {
        // A draft: GET /notices/{id} shows it to its authority only until it is published.
        api.MapPost("/notices", (NoticesClient notices, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<CreateNoticeBody>(request, json.Value.SerializerOptions, async body =>
            {
                var created = await notices.CreateNoticeAsync(body.ToRequest());
                return Results.Created($"/api/v1/notices/{created.Id}", NoticeDto.From(created));
            }))
            .WithName("CreateNotice").Accepts<CreateNoticeBody>("application/json").Produces<NoticeDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        MapNoticeStep(api, "/notices/{id}/publish", "PublishNotice", (c, r) => c.PublishNoticeAsync(r));
        // After the period, with every objection resolved: items take effect in the registry or go back rejected, and the result is filed.
        MapNoticeStep(api, "/notices/{id}/close", "CloseNotice", (c, r) => c.CloseNoticeAsync(r));

        api.MapGet("/notices/{id}/objections", async (NoticesClient notices, string id) =>
            Results.Ok((await notices.ListObjectionsAsync(new() { NoticeId = id }))
                .Objections.Select(ObjectionDto.From)))
            .WithName("ListObjections").Produces<IEnumerable<ObjectionDto>>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/objections/{id}/evidence/{evidenceId}", async (NoticesClient notices, string id, string evidenceId) =>
        {
            var evidence = await notices.GetEvidenceAsync(new() { ObjectionId = id, EvidenceId = evidenceId });
            return Results.Bytes(evidence.Content.Memory, evidence.Info.ContentType, evidence.Info.FileName);
        }).WithName("GetEvidence").Produces(StatusCodes.Status200OK, typeof(Stream), EvidenceTypes[0], EvidenceTypes[1..])
          .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/objections/{id}/resolution", (NoticesClient notices, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<ResolutionBody>(request, json.Value.SerializerOptions, async body =>
            {
                // proto3 cannot tell false from absent: like a decision's "passed", the resolution must say which.
                if (body.Upheld is null) return Problems.BadRequest(new ProblemField("upheld", "is required: true or false"));
                return Results.Ok(ObjectionDto.From(await notices.ResolveObjectionAsync(body.ToRequest(id))));
            }))
            .WithName("ResolveObjection").Accepts<ResolutionBody>("application/json").Produces<ObjectionDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // The results filed with the caller: the province receives basic notices' results, the ministry advanced ones'.
        api.MapGet("/filings", async (NoticesClient notices) =>
            Results.Ok((await notices.ListFilingsAsync(new())).Filings.Select(FilingDto.From)))
            .WithName("ListFilings").Produces<IEnumerable<FilingDto>>();
    }

    /// <summary>A step in a notice's life: POST the version last read, one gRPC method, the notice after the step.</summary>
    private static void MapNoticeStep(RouteGroupBuilder api, string pattern, string method,
        Func<NoticesClient, NoticeActionRequest, AsyncUnaryCall<Notice>> call) =>
        api.MapPost(pattern, (NoticesClient notices, string id, HttpRequest request, IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<VersionBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(NoticeDto.From(await call(notices,
                    new NoticeActionRequest { Id = id, ExpectedVersion = body.ExpectedVersion ?? 0 })))))
            .WithName(method).Accepts<VersionBody>("application/json").Produces<NoticeDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
