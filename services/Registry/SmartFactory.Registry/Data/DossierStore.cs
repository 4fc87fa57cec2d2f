using Dapper;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Data;

namespace SmartFactory.Registry.Data;

/// <summary>
/// The dossiers' SQL. The bytes are in the shared evidence store (dossier_evidence, 0005_dossier.sql), what each file is
/// in dossier_files. Every change, and every view and download (003 第二十二条), is one transaction with its audit row;
/// nothing goes to the change feed, which the public catalog reads. Audit rows describe files, never hold their bytes.
/// </summary>
public sealed class DossierStore(NpgsqlDataSource dataSource, AuditWriter audit)
{
    private static readonly EvidenceTable Evidence = new("dossier_evidence", "application_id");

    public async Task<Dossier> GetAsync(Guid applicationId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, applicationId, cancellationToken);
    }

    /// <summary>The dossier as a reader sees it, its view audited in the same transaction.</summary>
    public Task<Dossier> ViewAsync(CallerScope caller, Guid applicationId, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var dossier = await ReadAsync(connection, transaction, applicationId, cancellationToken);
            await audit.WriteAsync(transaction, caller, "dossier.viewed", "application", applicationId.ToString(), null,
                new { Files = dossier.Files.Count, Narratives = dossier.Narratives.Count }, cancellationToken);
            return dossier;
        }, cancellationToken);

    /// <summary>One file with its bytes, the download audited in the same transaction: no bytes leave without their row.</summary>
    public Task<(DossierFile File, byte[] Content)?> DownloadAsync(CallerScope caller, Guid applicationId, Guid fileId, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync<(DossierFile, byte[])?>(async (connection, transaction) =>
        {
            var file = (await ReadAsync(connection, transaction, applicationId, cancellationToken)).Files.FirstOrDefault(f => f.File.Id == fileId);
            if (file is null || await Evidence.ReadAsync(connection, applicationId, fileId, cancellationToken, transaction) is not { } stored) return null;
            await audit.WriteAsync(transaction, caller, "dossier.file_downloaded", "dossier_file", fileId.ToString(), null, Described(file), cancellationToken);
            return (file, stored.Content);
        }, cancellationToken);

    /// <summary>Stores a file, removing the one it replaces; refused when the application changed state or the total would pass the limit.</summary>
    public Task UploadAsync(CallerScope caller, Application application, DossierFile file, byte[] content, DossierFile? replaces,
        CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await LockAsync(transaction, application, cancellationToken);
            if (replaces is not null) await Evidence.DeleteAsync(transaction, application.Id, replaces.File.Id, cancellationToken);
            // Checked again under the lock: two uploads at once do not pass the limit together.
            if (await Evidence.TotalSizeAsync(transaction, application.Id, cancellationToken) + file.File.Size > DossierFiles.MaxTotalBytes)
                throw new RuleViolationException([$"an application's files may take at most {DossierFiles.MaxTotalBytes / 1024 / 1024} MiB together; this one would exceed it"]);
            await Evidence.InsertAsync(transaction, application.Id, [(file.File, content)], cancellationToken);
            await connection.ExecuteUniqueAsync(new CommandDefinition("""
                insert into dossier_files (id, application_id, kind, subject, uploaded_by_role, uploaded_at)
                values (@Id, @ApplicationId, @Kind, @Subject, @UploadedByRole, @UploadedAt)
                """, new { file.File.Id, file.ApplicationId, Kind = file.Kind.ToString(), file.Subject, file.UploadedByRole, file.UploadedAt },
                transaction, cancellationToken: cancellationToken),
                () => new ConcurrencyException($"{DossierFiles.Describe(file.Kind)} was uploaded meanwhile; read the dossier again"));
            await audit.WriteAsync(transaction, caller, replaces is null ? "dossier.file_uploaded" : "dossier.file_replaced", "dossier_file",
                file.File.Id.ToString(), replaces is null ? null : Described(replaces), Described(file), cancellationToken);
        }, cancellationToken);

    public Task DeleteAsync(CallerScope caller, Application application, DossierFile file, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await LockAsync(transaction, application, cancellationToken);
            if (!await Evidence.DeleteAsync(transaction, application.Id, file.File.Id, cancellationToken))
                throw new NotFoundException($"file {file.File.Id} not found");
            await audit.WriteAsync(transaction, caller, "dossier.file_deleted", "dossier_file", file.File.Id.ToString(), Described(file), null, cancellationToken);
        }, cancellationToken);

    public Task SaveNarrativeAsync(CallerScope caller, Application application, ScenarioNarrative? before, ScenarioNarrative narrative,
        CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await LockAsync(transaction, application, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into dossier_narratives (application_id, scenario_id, current_state, pain_points, solution, equipment_and_software, suppliers, results, updated_at)
                values (@ApplicationId, @ScenarioId, @CurrentState, @PainPoints, @Solution, @EquipmentAndSoftware, @Suppliers, @Results, @UpdatedAt)
                on conflict (application_id, scenario_id) do update set current_state = excluded.current_state, pain_points = excluded.pain_points,
                    solution = excluded.solution, equipment_and_software = excluded.equipment_and_software, suppliers = excluded.suppliers,
                    results = excluded.results, updated_at = excluded.updated_at
                """, new
            {
                ApplicationId = application.Id, narrative.ScenarioId, narrative.CurrentState, narrative.PainPoints, narrative.Solution,
                narrative.EquipmentAndSoftware, narrative.Suppliers, narrative.Results, narrative.UpdatedAt,
            }, transaction, cancellationToken: cancellationToken));
            await audit.WriteAsync(transaction, caller, "dossier.narrative_saved", "application", application.Id.ToString(), before, narrative, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Holds the application while its dossier changes, and refuses when its state moved since the rules were asked
    /// (a submission in between): the dossier a reviewer reads is the one that was submitted.
    /// </summary>
    private static async Task LockAsync(NpgsqlTransaction transaction, Application application, CancellationToken cancellationToken)
    {
        var status = await transaction.Connection!.ExecuteScalarAsync<string>(new CommandDefinition(
            "select status from applications where id = @Id for update", new { application.Id }, transaction, cancellationToken: cancellationToken));
        if (status != application.Status.ToString())
            throw new ConcurrencyException($"application {application.Id} changed meanwhile; read it again");
    }

    private static object Described(DossierFile file) => new
    {
        file.ApplicationId, Kind = SnakeCase.Name(file.Kind), file.Subject, file.File.FileName, file.File.ContentType, file.File.Size, file.File.Sha256,
    };

    /// <summary>The dossier as it stands inside the caller's transaction (a submission re-reads it under its row lock).</summary>
    internal static async Task<Dossier> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid applicationId, CancellationToken cancellationToken)
    {
        var evidence = (await Evidence.ListAsync(connection, [applicationId], cancellationToken, transaction))[applicationId].ToDictionary(e => e.Id);
        var files = await connection.QueryAsync<(Guid Id, string Kind, string Subject, string UploadedByRole, DateTime UploadedAt)>(new CommandDefinition("""
            select id, kind, subject, uploaded_by_role, uploaded_at from dossier_files where application_id = @applicationId order by uploaded_at, id
            """, new { applicationId }, transaction, cancellationToken: cancellationToken));
        var narratives = await connection.QueryAsync<ScenarioNarrative>(new CommandDefinition("""
            select scenario_id as ScenarioId, current_state as CurrentState, pain_points as PainPoints, solution, equipment_and_software as EquipmentAndSoftware,
                suppliers, results, updated_at as UpdatedAt
            from dossier_narratives where application_id = @applicationId order by scenario_id
            """, new { applicationId }, transaction, cancellationToken: cancellationToken));
        return new Dossier(applicationId,
            [.. files.Select(f => new DossierFile(applicationId, Enum.Parse<DossierFileKind>(f.Kind), f.Subject, evidence[f.Id], f.UploadedByRole, f.UploadedAt))],
            [.. narratives]);
    }
}
