using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

// The REST shapes of an application's dossier (申报材料), as in LifecycleModels: camelCase, kinds as snake_case strings
// ("commitment_letter"), absent values as null. A file's bytes come only from its download route.

public sealed record DossierFileDto(
    string Id, string ApplicationId, DossierFileKind Kind, string? Subject, string FileName, string ContentType, long Size, string Sha256,
    string UploadedByRole, DateTimeOffset UploadedAt)
{
    public static DossierFileDto From(DossierFile f) => new(f.Id, f.ApplicationId, f.Kind, Wire.NullIfEmpty(f.Subject), f.FileName, f.ContentType,
        f.Size, f.Sha256, f.UploadedByRole, f.UploadedAt.ToDateTimeOffset());
}

public sealed record ScenarioNarrativeDto(
    string ScenarioId, string CurrentState, string PainPoints, string Solution, string EquipmentAndSoftware, string Suppliers, string Results,
    DateTimeOffset UpdatedAt)
{
    public static ScenarioNarrativeDto From(ScenarioNarrative n) => new(n.ScenarioId, n.CurrentState, n.PainPoints, n.Solution,
        n.EquipmentAndSoftware, n.Suppliers, n.Results, n.UpdatedAt.ToDateTimeOffset());
}

/// <summary>The dossier: its files, its narratives, and what submission still needs (empty when complete).</summary>
public sealed record DossierDto(string ApplicationId, IReadOnlyList<DossierFileDto> Files, IReadOnlyList<ScenarioNarrativeDto> Narratives,
    IReadOnlyList<string> Missing, long TotalSize, long MaxTotalSize)
{
    public static DossierDto From(Dossier d) => new(d.ApplicationId, [.. d.Files.Select(DossierFileDto.From)],
        [.. d.Narratives.Select(ScenarioNarrativeDto.From)], [.. d.Missing], d.TotalSize, d.MaxTotalSize);
}

/// <summary>
/// A file for the dossier as multipart/form-data: its kind, its subject (the scenario id for scenario_evidence, the
/// declaration code for declaration_evidence and verification_attachment, none otherwise), and the file in "file".
/// </summary>
public sealed record DossierFileForm(DossierFileKind Kind, string? Subject, IFormFile File);

/// <summary>One scenario's narrative; every field is needed to submit, any may be saved empty in a draft.</summary>
public sealed record NarrativeBody(string? CurrentState, string? PainPoints, string? Solution, string? EquipmentAndSoftware, string? Suppliers, string? Results)
{
    public SaveScenarioNarrativeRequest ToRequest(string applicationId, string scenarioId) => new()
    {
        ApplicationId = applicationId, ScenarioId = scenarioId, CurrentState = CurrentState ?? "", PainPoints = PainPoints ?? "", Solution = Solution ?? "",
        EquipmentAndSoftware = EquipmentAndSoftware ?? "", Suppliers = Suppliers ?? "", Results = Results ?? "",
    };
}
