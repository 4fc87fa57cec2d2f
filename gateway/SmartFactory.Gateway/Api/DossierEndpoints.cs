using Google.Protobuf;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// REST/JSON for an application's dossier (申报材料) under /api/v1/applications/{id}/dossier, each route one
/// DossierService call. Trade secrets (003 第二十二条): every route needs a token, and the registry answers anyone but
/// the enterprise and the reviewing authorities as for an application that does not exist; it audits every view and download.
/// </summary>
public static class DossierEndpoints
{
    /// <summary>The header that carries a downloaded file's SHA-256 (lowercase hex), as the listing shows it.</summary>
    public const string Sha256Header = "X-Content-SHA256";

    /// <summary>A 20 MiB file and the form around it.</summary>
    public const int MaxUploadBytes = Clients.MaxDossierMessageBytes;

    private static readonly string[] FileTypes =
    [
        "application/pdf", "image/jpeg", "image/png", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ];

    public static RouteGroupBuilder MapDossierApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiV1("Dossier");

        api.MapGet("/applications/{id}/dossier", async (DossierClient dossiers, string id) =>
            Results.Ok(DossierDto.From(await dossiers.GetDossierAsync(new() { ApplicationId = id }))))
            .WithName("GetDossier").Produces<DossierDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        // Fields kind and subject, and one file named "file". A kind that holds one file replaces the one before.
        api.MapPost("/applications/{id}/dossier/files", (DossierClient dossiers, string id, HttpRequest request) =>
            FormBody.HandleAsync(request, async form =>
            {
                var problems = form.Files.Select(f => f.Name).Where(name => name != "file").Distinct().Select(name => name.Length == 0
                    ? new ProblemField("body", "has a file part without a name: the file goes in the field named file")
                    : new ProblemField(name, "the file goes in the field named file")).ToList();
                var files = form.Files.GetFiles("file");
                if (files.Count != 1) problems.Add(new ProblemField("file", files.Count == 0 ? "is required" : "send one file per request"));
                var kind = Wire.Filter<DossierFileKind>(form["kind"].ToString(), "kind", problems);
                if (problems.Count > 0) return Problems.BadRequest([.. problems]);
                var file = files[0];
                await using var content = file.OpenReadStream();
                var uploaded = await dossiers.UploadDossierFileAsync(new UploadDossierFileRequest
                {
                    ApplicationId = id, Kind = kind, Subject = form["subject"].ToString(), FileName = file.FileName,
                    // The registry checks the type against the content; "no type" is what a generic octet-stream says.
                    ContentType = file.ContentType is "application/octet-stream" ? "" : file.ContentType ?? "",
                    Content = await ByteString.FromStreamAsync(content, request.HttpContext.RequestAborted),
                });
                return Results.Created($"/api/v1/applications/{id}/dossier/files/{uploaded.Id}", DossierFileDto.From(uploaded));
            }))
            .WithName("UploadDossierFile").Accepts<DossierFileForm>("multipart/form-data").Produces<DossierFileDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxUploadBytes));

        // The stored bytes with their type, and their SHA-256 in X-Content-SHA256.
        api.MapGet("/applications/{id}/dossier/files/{fileId}", async (DossierClient dossiers, string id, string fileId, HttpResponse response) =>
        {
            var file = await dossiers.DownloadDossierFileAsync(new() { ApplicationId = id, FileId = fileId });
            response.Headers[Sha256Header] = file.Info.Sha256;
            return Results.Bytes(file.Content.Memory, file.Info.ContentType, file.Info.FileName);
        }).WithName("DownloadDossierFile").Produces(StatusCodes.Status200OK, typeof(Stream), FileTypes[0], FileTypes[1..])
          .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/applications/{id}/dossier/files/{fileId}", async (DossierClient dossiers, string id, string fileId) =>
        {
            await dossiers.DeleteDossierFileAsync(new() { ApplicationId = id, FileId = fileId });
            return Results.NoContent();
        }).WithName("DeleteDossierFile").Produces(StatusCodes.Status204NoContent)
          .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPut("/applications/{id}/dossier/narratives/{scenarioId}", (DossierClient dossiers, string id, string scenarioId, HttpRequest request,
            IOptions<JsonOptions> json) =>
            JsonBody.HandleAsync<NarrativeBody>(request, json.Value.SerializerOptions, async body =>
                Results.Ok(ScenarioNarrativeDto.From(await dossiers.SaveScenarioNarrativeAsync(body.ToRequest(id, scenarioId))))))
            .WithName("SaveScenarioNarrative").Accepts<NarrativeBody>("application/json").Produces<ScenarioNarrativeDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }
}
