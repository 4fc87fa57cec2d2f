using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Data;
using SmartFactory.TestSupport;

namespace SmartFactory.ServiceDefaults.Tests;

/// <summary>The shared evidence check: types by content whatever the name or declared type, limits, names, hashes.</summary>
public class EvidenceTests
{
    private static readonly EvidenceType[] All = Enum.GetValues<EvidenceType>();

    public static TheoryData<string, byte[], EvidenceType?> Contents => new()
    {
        { "pdf", Dossiers.Pdf(), EvidenceType.Pdf },
        { "jpeg", Dossiers.Jpeg, EvidenceType.Jpeg },
        { "png", Dossiers.Png, EvidenceType.Png },
        { "xlsx", Dossiers.Xlsx(), EvidenceType.Xlsx },
        { "docx", Dossiers.Docx(), EvidenceType.Docx },
        { "exe renamed .pdf", [0x4D, 0x5A, 0x90, 0x00, 0x03], null },
        { "html", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><script>alert(1)</script></html>"), null },
        { "plain zip", Dossiers.Zip(new() { ["readme.txt"] = "hello" }), null },
        { "zip with xl/ but no [Content_Types].xml", Dossiers.Zip(new() { ["xl/workbook.xml"] = "<workbook/>" }), null },
        { "zip signature, no zip", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x01, 0x02], null },
        { "gif", [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], null },
    };

    [Theory]
    [MemberData(nameof(Contents))]
    public void A_file_is_typed_by_its_content_alone(string what, byte[] content, EvidenceType? type) => Assert.True(type == Evidence.Sniff(content), what);

    [Fact]
    public void A_renamed_executable_zip_or_page_is_refused_whatever_its_name_or_declared_type()
    {
        var violations = new Violations();
        Assert.Null(Evidence.Check(new("清单.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [0x4D, 0x5A, 0x90, 0x00]), All, 1024, "a", violations));
        Assert.Null(Evidence.Check(new("证明.pdf", "application/pdf", Dossiers.Zip(new() { ["a.exe"] = "MZ" })), All, 1024, "b", violations));
        Assert.Null(Evidence.Check(new("page.png", "image/png", Encoding.UTF8.GetBytes("<html></html>")), All, 1024, "c", violations));
        Assert.Equal(["a.content", "b.content", "c.content"], violations.Items.Select(v => v.Field));
        Assert.All(violations.Items, v => Assert.Equal("is not a PDF, JPEG, PNG, XLSX or DOCX file", v.Description));
    }

    [Fact]
    public void A_DOCX_passed_as_XLSX_is_refused_where_XLSX_is_required()
    {
        var violations = new Violations();
        Assert.Null(Evidence.Check(new("关键设备清单.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Dossiers.Docx()),
            [EvidenceType.Xlsx, EvidenceType.Pdf], 1024 * 1024, "file", violations));
        Assert.Equal(("file.content", "is a DOCX file, not an XLSX or PDF file"), (violations.Items[0].Field, violations.Items[0].Description));
    }

    [Fact]
    public void Each_use_names_its_types_size_limit_and_a_declared_type_that_disagrees()
    {
        var violations = new Violations();
        Assert.Null(Evidence.Check(new("表.xlsx", "", Dossiers.Xlsx()), [EvidenceType.Pdf, EvidenceType.Jpeg, EvidenceType.Png], 1024 * 1024, "evidence[0]", violations));
        Assert.Null(Evidence.Check(new("big.pdf", "", [.. "%PDF-"u8, .. new byte[2 * 1024 * 1024]]), All, 1024 * 1024, "evidence[1]", violations));
        Assert.Null(Evidence.Check(new("empty.pdf", "", []), All, 1024 * 1024, "evidence[2]", violations));
        Assert.NotNull(Evidence.Check(new("a.pdf", "image/png", Dossiers.Pdf()), All, 1024 * 1024, "evidence[3]", violations));
        Assert.Equal([
            ("evidence[0].content", "is an XLSX file, not a PDF, JPEG or PNG file"),
            ("evidence[1].content", "is 2.0 MiB; at most 1 MiB per file"),
            ("evidence[2].content", "is empty"),
            ("evidence[3].content_type", "says image/png but the file is application/pdf"),
        ], violations.Items.Select(v => (v.Field, v.Description)));
    }

    [Fact]
    public void A_kept_file_has_a_clean_name_its_true_type_and_its_SHA256()
    {
        var violations = new Violations();
        var content = Dossiers.Xlsx();
        var file = Evidence.Check(new(@"C:\Users\张三\桌面\工业软件清单.xlsx", null, content), All, 1024 * 1024, "file", violations)!;
        Assert.Empty(violations.Items);
        Assert.Equal(("工业软件清单.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", content.Length),
            (file.FileName, file.ContentType, (int)file.Size));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.Sha256);
        Assert.Equal("passwd", Evidence.SanitizeFileName("../../etc/passwd"));
        Assert.Equal("ab.pdf", Evidence.SanitizeFileName(" a\u0000b.pdf\r\n"));
        Evidence.Check(new("../", null, Dossiers.Pdf()), All, 1024, "nameless", violations);
        Assert.Equal(["nameless.file_name"], violations.Items.Select(v => v.Field));
    }
}

/// <summary>The shared table on a real PostgreSQL: writes in the caller's transaction, listings without bytes, one file read back.</summary>
public sealed class EvidenceTableTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private NpgsqlDataSource dataSource = null!;
    private readonly EvidenceTable table = new("evidence", "owner_id");

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            create table evidence (id uuid primary key, owner_id uuid not null, file_name text not null, content_type text not null,
                size bigint not null, sha256 text not null, content bytea not null)
            """);
    }

    public async Task DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Files_go_in_with_the_callers_transaction_and_come_back_one_at_a_time()
    {
        var owner = Guid.NewGuid();
        var pdf = Dossiers.Pdf();
        var file = Evidence.Check(new("证明.pdf", null, pdf), [EvidenceType.Pdf], 1024, "file", new Violations())!;

        // Rolled back with the caller's change: nothing stays.
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await table.InsertAsync(transaction, owner, [(file, pdf)], CancellationToken.None);
            await transaction.RollbackAsync();
        }
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from evidence"));

        await dataSource.InTransactionAsync((_, transaction) => table.InsertAsync(transaction, owner, [(file, pdf)], CancellationToken.None), CancellationToken.None);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal([file], (await table.ListAsync(connection, [owner, Guid.NewGuid()], CancellationToken.None))[owner]);
            var read = (await table.ReadAsync(connection, owner, file.Id, CancellationToken.None))!.Value;
            Assert.Equal(file, read.Info);
            Assert.Equal(pdf, read.Content);
            Assert.Null(await table.ReadAsync(connection, Guid.NewGuid(), file.Id, CancellationToken.None)); // another owner's id reads nothing
        }
        Assert.Equal(pdf.Length, await dataSource.InTransactionAsync((_, t) => table.TotalSizeAsync(t, owner, CancellationToken.None), CancellationToken.None));
        Assert.False(await dataSource.InTransactionAsync((_, t) => table.DeleteAsync(t, Guid.NewGuid(), file.Id, CancellationToken.None), CancellationToken.None));
        Assert.True(await dataSource.InTransactionAsync((_, t) => table.DeleteAsync(t, owner, file.Id, CancellationToken.None), CancellationToken.None));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from evidence"));
        Assert.Throws<ArgumentException>(() => new EvidenceTable("evidence; drop table x", "owner_id"));
    }
}
