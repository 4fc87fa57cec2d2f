using System.IO.Compression;
using System.Security.Cryptography;

namespace SmartFactory.Kernel;

/// <summary>The file types the platform accepts, each recognised by its content; each use names the ones it allows.</summary>
public enum EvidenceType { Pdf, Jpeg, Png, Xlsx, Docx }

/// <summary>A file as a caller sends it; its type is what its bytes say, not what its name or header claims.</summary>
public sealed record EvidenceUpload(string? FileName, string? ContentType, byte[] Content);

/// <summary>A checked file as it is stored and listed: the bytes stay in the store, read back one file at a time.</summary>
public sealed record EvidenceFile(Guid Id, string FileName, string ContentType, long Size, string Sha256);

/// <summary>
/// The one check of uploaded files, shared by objections' evidence and applications' dossiers: type by content
/// sniffing (never by name or declared type), a size limit, a sanitised file name and the SHA-256 of the bytes.
/// </summary>
public static class Evidence
{
    public const int MaxFileNameLength = 200;

    public static readonly EvidenceType[] Images = [EvidenceType.Jpeg, EvidenceType.Png];

    public static string ContentType(EvidenceType type) => type switch
    {
        EvidenceType.Pdf => "application/pdf",
        EvidenceType.Jpeg => "image/jpeg",
        EvidenceType.Png => "image/png",
        EvidenceType.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    };

    /// <summary>"a PDF, JPEG or PNG file": the allowed types in a message.</summary>
    public static string Describe(IReadOnlyList<EvidenceType> allowed)
    {
        var names = allowed.Select(t => t.ToString().ToUpperInvariant()).ToList();
        var article = "AEFHILMNORSX".Contains(names[0][0]) ? "an" : "a"; // as the letters are spoken: an XLSX, a PDF
        return names.Count == 1 ? $"{article} {names[0]} file" : $"{article} {string.Join(", ", names[..^1])} or {names[^1]} file";
    }

    /// <summary>
    /// The file's type from its content: the %PDF- signature, FF D8 FF, the PNG signature, or an OOXML package (a zip
    /// whose entries hold [Content_Types].xml and xl/workbook.xml or word/document.xml). Anything else is null, whatever
    /// its name: a renamed executable, a plain zip, HTML. Only the zip's directory is read, nothing is decompressed.
    /// </summary>
    public static EvidenceType? Sniff(byte[] content)
    {
        ReadOnlySpan<byte> head = content;
        if (head.StartsWith("%PDF-"u8)) return EvidenceType.Pdf;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return EvidenceType.Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return EvidenceType.Png;
        if (!head.StartsWith("PK\x03\x04"u8)) return null;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            if (!entries.Contains("[Content_Types].xml")) return null;
            if (entries.Contains("xl/workbook.xml")) return EvidenceType.Xlsx;
            if (entries.Contains("word/document.xml")) return EvidenceType.Docx;
            return null;
        }
        catch (InvalidDataException)
        {
            return null; // a zip signature on something that is no zip
        }
    }

    /// <summary>
    /// The name to keep: its last path segment (a browser may send C:\…\证明.pdf), without control characters, trimmed.
    /// </summary>
    public static string SanitizeFileName(string? name)
    {
        var last = (name ?? "").Split('/', '\\')[^1];
        return new string([.. last.Where(c => !char.IsControl(c))]).Trim();
    }

    /// <summary>
    /// Checks one file under <paramref name="field"/>: a name, content of an allowed type within the size limit, a
    /// declared type (when given) that agrees with the content. Every problem goes into <paramref name="violations"/>;
    /// the file is null when its content can not be kept at all.
    /// </summary>
    public static EvidenceFile? Check(EvidenceUpload upload, IReadOnlyList<EvidenceType> allowed, int maxBytes, string field, Violations violations)
    {
        var name = SanitizeFileName(upload.FileName);
        if (name.Length is 0 or > MaxFileNameLength) violations.Add($"{field}.file_name", $"is required, at most {MaxFileNameLength} characters");
        if (upload.Content.Length == 0)
        {
            violations.Add($"{field}.content", "is empty");
            return null;
        }
        if (upload.Content.Length > maxBytes)
        {
            violations.Add($"{field}.content", $"is {upload.Content.Length / 1024 / 1024.0:F1} MiB; at most {maxBytes / 1024 / 1024} MiB per file");
            return null;
        }
        var sniffed = Sniff(upload.Content);
        if (sniffed is null || !allowed.Contains(sniffed.Value))
        {
            violations.Add($"{field}.content", sniffed is null ? $"is not {Describe(allowed)}" : $"is {Describe([sniffed.Value])}, not {Describe(allowed)}");
            return null;
        }
        var contentType = ContentType(sniffed.Value);
        if (!string.IsNullOrEmpty(upload.ContentType) && !string.Equals(upload.ContentType, contentType, StringComparison.OrdinalIgnoreCase))
            violations.Add($"{field}.content_type", $"says {upload.ContentType} but the file is {contentType}");
        return new EvidenceFile(Guid.CreateVersion7(), name, contentType, upload.Content.Length, Convert.ToHexStringLower(SHA256.HashData(upload.Content)));
    }
}
