using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Grpc;
using Domain = SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Grpc;

/// <summary>
/// smartfactory.registry.v1.DossierService: an application's materials. Each call reads the application in the caller's
/// scope first (another enterprise or city: NOT_FOUND), then asks <see cref="Domain.DossierAccess"/> about the level.
/// </summary>
public sealed class DossierService(DossierStore dossiers, LifecycleStore lifecycle, TimeProvider time)
    : Contracts.Registry.V1.DossierService.DossierServiceBase
{
    public override async Task<Dossier> GetDossier(GetDossierRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var application = await Readable(caller, request.ApplicationId, "application_id", context.CancellationToken);
        var dossier = await dossiers.ViewAsync(caller, application.Id, context.CancellationToken);
        return dossier.ToMessage(application);
    }

    public override async Task<DossierFile> UploadDossierFile(UploadDossierFileRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var violations = new Violations();
        if (!Guid.TryParse(request.ApplicationId, out _)) violations.Add("application_id", "must be a UUID");
        var kind = request.Kind.ToDomain();
        if (kind is null) violations.Add("kind", $"must be one of {DossierMapping.Kinds}");
        violations.ThrowIfAny(); // the rest of the request is checked against the application, once it is known to be in scope
        var application = await Readable(caller, request.ApplicationId, "application_id", context.CancellationToken);
        Domain.DossierAccess.CheckChange(caller, application, kind!.Value);
        var content = request.Content.ToByteArray();
        var dossier = await dossiers.GetAsync(application.Id, context.CancellationToken);
        var (file, replaces) = Domain.DossierFiles.Upload(application, dossier, kind.Value, request.Subject,
            new EvidenceUpload(request.FileName, request.ContentType, content), caller, Now());
        await dossiers.UploadAsync(caller, application, file, content, replaces, context.CancellationToken);
        return file.ToMessage();
    }

    public override async Task<DeleteDossierFileResponse> DeleteDossierFile(DeleteDossierFileRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var (application, file) = await FileInScope(caller, request.ApplicationId, request.FileId, context.CancellationToken);
        Domain.DossierAccess.CheckChange(caller, application, file.Kind);
        await dossiers.DeleteAsync(caller, application, file, context.CancellationToken);
        return new DeleteDossierFileResponse();
    }

    public override async Task<ScenarioNarrative> SaveScenarioNarrative(SaveScenarioNarrativeRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var application = await Readable(caller, request.ApplicationId, "application_id", context.CancellationToken);
        Domain.DossierAccess.CheckChange(caller, application, kind: null);
        var narrative = Domain.ScenarioNarrative.Read(application, request.ScenarioId, request.CurrentState, request.PainPoints, request.Solution,
            request.EquipmentAndSoftware, request.Suppliers, request.Results, Now());
        var before = (await dossiers.GetAsync(application.Id, context.CancellationToken)).Narratives.FirstOrDefault(n => n.ScenarioId == narrative.ScenarioId);
        await dossiers.SaveNarrativeAsync(caller, application, before, narrative, context.CancellationToken);
        return narrative.ToMessage();
    }

    public override async Task<DossierFileContent> DownloadDossierFile(DownloadDossierFileRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var fileId = Ids(request.ApplicationId, request.FileId);
        var application = await Readable(caller, request.ApplicationId, "application_id", context.CancellationToken);
        var (file, content) = await dossiers.DownloadAsync(caller, application.Id, fileId, context.CancellationToken)
            ?? throw new NotFoundException($"file {request.FileId} not found");
        return new DossierFileContent { Info = file.ToMessage(), Content = ByteString.CopyFrom(content) };
    }

    /// <summary>The application, if the caller may read its dossier; NOT_FOUND otherwise, as for one that does not exist.</summary>
    private async Task<Domain.Application> Readable(CallerScope caller, string id, string field, CancellationToken cancellationToken)
    {
        var application = (await lifecycle.GetApplicationAsync(caller, Violations.ParseId(id, field), cancellationToken))?.Item
            ?? throw new NotFoundException($"application {id} not found");
        Domain.DossierAccess.ThrowUnlessReadable(caller, application);
        return application;
    }

    private async Task<(Domain.Application, Domain.DossierFile)> FileInScope(CallerScope caller, string applicationId, string fileId, CancellationToken cancellationToken)
    {
        var id = Ids(applicationId, fileId);
        var application = await Readable(caller, applicationId, "application_id", cancellationToken);
        var file = (await dossiers.GetAsync(application.Id, cancellationToken)).Files.FirstOrDefault(f => f.File.Id == id)
            ?? throw new NotFoundException($"file {fileId} not found");
        return (application, file);
    }

    /// <summary>Both ids of a file's request, each wrong one named; answers the file's.</summary>
    private static Guid Ids(string applicationId, string fileId)
    {
        var violations = new Violations();
        violations.Id("application_id", applicationId, required: true);
        var id = violations.Id("file_id", fileId, required: true);
        violations.ThrowIfAny();
        return id!.Value;
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}

internal static class DossierMapping
{
    public static readonly string Kinds = string.Join(", ", System.Enum.GetValues<Domain.DossierFileKind>().Select(k => SnakeCase.Name(k)));

    public static Domain.DossierFileKind? ToDomain(this Contracts.Registry.V1.DossierFileKind kind) =>
        kind == Contracts.Registry.V1.DossierFileKind.Unspecified || !System.Enum.IsDefined(kind) ? null : (Domain.DossierFileKind)((int)kind - 1);

    public static Contracts.Registry.V1.DossierFileKind ToMessage(this Domain.DossierFileKind kind) => (Contracts.Registry.V1.DossierFileKind)((int)kind + 1);

    public static DossierFile ToMessage(this Domain.DossierFile f) => new()
    {
        Id = f.File.Id.ToString(), ApplicationId = f.ApplicationId.ToString(), Kind = f.Kind.ToMessage(), Subject = f.Subject, FileName = f.File.FileName,
        ContentType = f.File.ContentType, Size = f.File.Size, Sha256 = f.File.Sha256, UploadedByRole = f.UploadedByRole, UploadedAt = Utc(f.UploadedAt),
    };

    public static ScenarioNarrative ToMessage(this Domain.ScenarioNarrative n) => new()
    {
        ScenarioId = n.ScenarioId, CurrentState = n.CurrentState, PainPoints = n.PainPoints, Solution = n.Solution,
        EquipmentAndSoftware = n.EquipmentAndSoftware, Suppliers = n.Suppliers, Results = n.Results, UpdatedAt = Utc(n.UpdatedAt),
    };

    public static Dossier ToMessage(this Domain.Dossier d, Domain.Application application) => new()
    {
        ApplicationId = d.ApplicationId.ToString(), Files = { d.Files.Select(ToMessage) }, Narratives = { d.Narratives.Select(ToMessage) },
        Missing = { d.MissingToSubmit(application.Form.ScenarioIds) }, TotalSize = d.TotalSize, MaxTotalSize = Domain.DossierFiles.MaxTotalBytes,
    };

    private static Timestamp Utc(DateTime at) => Timestamp.FromDateTime(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
