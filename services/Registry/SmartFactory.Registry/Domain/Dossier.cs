using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

/// <summary>What a file of the dossier is; each kind allows its own file types (<see cref="DossierFiles.Allowed"/>).</summary>
public enum DossierFileKind { Dossier, CommitmentLetter, EquipmentList, SoftwareList, ScenarioEvidence, DeclarationEvidence, VerificationAttachment }

/// <summary>One stored file of an application's dossier; its bytes stay in the evidence store.</summary>
public sealed record DossierFile(Guid ApplicationId, DossierFileKind Kind, string Subject, EvidenceFile File, string UploadedByRole, DateTime UploadedAt);

/// <summary>
/// A scenario's narrative (003 附1, 建设内容 and 建设成效): the state before, the pain points, the solution, the key equipment
/// and industrial software used, the suppliers, and the results with KPIs. A draft may leave fields empty; submission needs all.
/// </summary>
public sealed record ScenarioNarrative(string ScenarioId, string CurrentState, string PainPoints, string Solution, string EquipmentAndSoftware,
    string Suppliers, string Results, DateTime UpdatedAt)
{
    public const int MaxFieldLength = 5000;

    /// <summary>Checks one narrative of a scenario the application names; every wrong field at once.</summary>
    public static ScenarioNarrative Read(Application application, string? scenarioId, string? currentState, string? painPoints, string? solution,
        string? equipmentAndSoftware, string? suppliers, string? results, DateTime now)
    {
        var violations = new Violations();
        var scenario = scenarioId?.Trim() ?? "";
        if (!application.Form.ScenarioIds.Contains(scenario))
            violations.Add("scenario_id", $"'{scenario}' is not a scenario of this application ({string.Join(", ", application.Form.ScenarioIds)})");
        var narrative = new ScenarioNarrative(scenario,
            violations.Optional("current_state", currentState, MaxFieldLength), violations.Optional("pain_points", painPoints, MaxFieldLength),
            violations.Optional("solution", solution, MaxFieldLength), violations.Optional("equipment_and_software", equipmentAndSoftware, MaxFieldLength),
            violations.Optional("suppliers", suppliers, MaxFieldLength), violations.Optional("results", results, MaxFieldLength), now);
        violations.ThrowIfAny();
        return narrative;
    }

    /// <summary>The fields still empty, by their names in the API.</summary>
    public IReadOnlyList<string> Blank() =>
    [
        .. new[] { ("current_state", CurrentState), ("pain_points", PainPoints), ("solution", Solution), ("equipment_and_software", EquipmentAndSoftware),
            ("suppliers", Suppliers), ("results", Results) }.Where(f => f.Item2.Length == 0).Select(f => f.Item1),
    ];
}

/// <summary>The kinds of file: the types each takes, which hold one file, what their subject is.</summary>
public static class DossierFiles
{
    /// <summary>At most this much a file: a scanned dossier of a hundred pages fits.</summary>
    public const int MaxFileBytes = 20 * 1024 * 1024;

    /// <summary>At most this much an application's files together: ten files at the limit, or many photos.</summary>
    public const long MaxTotalBytes = 200L * 1024 * 1024;

    /// <summary>At most this many files of one kind about one subject (a scenario, a declaration).</summary>
    public const int MaxFilesPerSubject = 20;

    public static IReadOnlyList<EvidenceType> Allowed(DossierFileKind kind) => kind switch
    {
        DossierFileKind.Dossier => [EvidenceType.Pdf],
        DossierFileKind.CommitmentLetter => [EvidenceType.Pdf, EvidenceType.Jpeg, EvidenceType.Png], // a scan or a photo of the seal
        DossierFileKind.EquipmentList or DossierFileKind.SoftwareList => [EvidenceType.Xlsx, EvidenceType.Pdf],
        _ => [EvidenceType.Pdf, EvidenceType.Jpeg, EvidenceType.Png, EvidenceType.Xlsx, EvidenceType.Docx],
    };

    /// <summary>The dossier, the letter and the two lists are one file each: a new one replaces the old.</summary>
    public static bool IsSingle(DossierFileKind kind) => kind is DossierFileKind.Dossier or DossierFileKind.CommitmentLetter
        or DossierFileKind.EquipmentList or DossierFileKind.SoftwareList;

    public static string Describe(DossierFileKind kind) => kind switch
    {
        DossierFileKind.Dossier => "the dossier (申报书, PDF)",
        DossierFileKind.CommitmentLetter => "the signed and sealed commitment letter (承诺书)",
        DossierFileKind.EquipmentList => "the list of key equipment (关键设备清单)",
        DossierFileKind.SoftwareList => "the list of industrial software (工业软件清单)",
        DossierFileKind.ScenarioEvidence => "scenario evidence",
        DossierFileKind.DeclarationEvidence => "declaration evidence",
        _ => "a verification attachment",
    };

    /// <summary>
    /// Checks an upload: its subject for its kind (a scenario of the application; a declaration code; none), its content
    /// for the kind's types and the size limits, with every wrong field at once. Answers the file to store and the file it
    /// replaces, if any. Who may upload now is <see cref="DossierAccess.CheckChange"/>'s, asked first.
    /// </summary>
    public static (DossierFile File, DossierFile? Replaces) Upload(Application application, Dossier dossier, DossierFileKind kind, string? subject,
        EvidenceUpload upload, CallerScope caller, DateTime now)
    {
        var violations = new Violations();
        var about = subject?.Trim() ?? "";
        switch (kind)
        {
            case DossierFileKind.ScenarioEvidence when !application.Form.ScenarioIds.Contains(about):
                violations.Add("subject", $"name a scenario of this application ({string.Join(", ", application.Form.ScenarioIds)})");
                break;
            case DossierFileKind.DeclarationEvidence or DossierFileKind.VerificationAttachment when BasicRequirements.Find(about) is null:
                violations.Add("subject", $"name the basic requirement ({string.Join(", ", BasicRequirements.All.Select(r => r.Code))})");
                break;
            case DossierFileKind.Dossier or DossierFileKind.CommitmentLetter or DossierFileKind.EquipmentList or DossierFileKind.SoftwareList when about.Length > 0:
                violations.Add("subject", $"{Describe(kind)} has no subject");
                break;
        }
        var checkedFile = Evidence.Check(upload, Allowed(kind), MaxFileBytes, "file", violations);
        violations.ThrowIfAny();

        var replaces = IsSingle(kind) ? dossier.Files.SingleOrDefault(f => f.Kind == kind) : null;
        var rules = new List<string>();
        if (!IsSingle(kind) && dossier.Files.Count(f => f.Kind == kind && f.Subject == about) >= MaxFilesPerSubject)
            rules.Add($"at most {MaxFilesPerSubject} files of {Describe(kind)} for '{about}'");
        if (dossier.TotalSize - (replaces?.File.Size ?? 0) + checkedFile!.Size > MaxTotalBytes)
            rules.Add($"an application's files may take at most {MaxTotalBytes / 1024 / 1024} MiB together; this one would exceed it");
        if (rules.Count > 0) throw new RuleViolationException(rules);
        return (new DossierFile(application.Id, kind, IsSingle(kind) ? "" : about, checkedFile, caller.Role.ToString().ToLowerInvariant(), now), replaces);
    }
}

/// <summary>An application's dossier (申报材料) as stored: its files and its scenarios' narratives.</summary>
public sealed record Dossier(Guid ApplicationId, IReadOnlyList<DossierFile> Files, IReadOnlyList<ScenarioNarrative> Narratives)
{
    public long TotalSize => Files.Sum(f => f.File.Size);

    /// <summary>
    /// What is missing to submit (申报材料要素完整, 003 第十七条): the dossier PDF, the commitment letter, both lists, the
    /// evidence of the basic requirements that call for it (003 附1), and for each scenario the application names a complete
    /// narrative and at least one evidence file. Empty when complete.
    /// </summary>
    public IReadOnlyList<string> MissingToSubmit(IReadOnlyList<string> scenarioIds)
    {
        var missing = new List<string>();
        foreach (var kind in (DossierFileKind[])[DossierFileKind.Dossier, DossierFileKind.CommitmentLetter, DossierFileKind.EquipmentList, DossierFileKind.SoftwareList])
            if (!Files.Any(f => f.Kind == kind)) missing.Add($"the dossier lacks {DossierFiles.Describe(kind)}");
        foreach (var requirement in BasicRequirements.All.Where(r => r.NeedsEvidence))
            if (!Files.Any(f => f.Kind == DossierFileKind.DeclarationEvidence && f.Subject == requirement.Code))
                missing.Add($"the basic requirement {requirement.Code} needs its evidence (declaration_evidence): {requirement.Text}");
        foreach (var scenario in scenarioIds)
        {
            var narrative = Narratives.FirstOrDefault(n => n.ScenarioId == scenario);
            if (narrative is null) missing.Add($"scenario {scenario} has no narrative");
            else if (narrative.Blank() is { Count: > 0 } blank) missing.Add($"scenario {scenario}'s narrative lacks {string.Join(", ", blank)}");
            if (!Files.Any(f => f.Kind == DossierFileKind.ScenarioEvidence && f.Subject == scenario)) missing.Add($"scenario {scenario} has no evidence file");
        }
        return missing;
    }

    /// <summary>Submission refused with everything still missing, each in its own words.</summary>
    public void ThrowIfIncomplete(IReadOnlyList<string> scenarioIds)
    {
        if (MissingToSubmit(scenarioIds) is { Count: > 0 } missing) throw new RuleViolationException(missing);
    }
}
