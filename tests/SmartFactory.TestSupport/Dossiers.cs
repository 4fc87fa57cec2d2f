using System.IO.Compression;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.TestSupport;

/// <summary>Small valid files of each type, and a complete dossier (申报材料) uploaded as an enterprise would, so that its application can be submitted.</summary>
public static class Dossiers
{
    public static byte[] Pdf(string title = "申报书") =>
        Encoding.UTF8.GetBytes($"%PDF-1.4\n1 0 obj << /Title ({title}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];

    public static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0];

    /// <summary>A workbook with the minimal OOXML parts: content types, the package and workbook relations, one sheet.</summary>
    public static byte[] Xlsx() => Zip(new()
    {
        ["[Content_Types].xml"] = """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""",
        ["_rels/.rels"] = """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""",
        ["xl/workbook.xml"] = """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="清单" sheetId="1" r:id="rId1"/></sheets></workbook>""",
        ["xl/_rels/workbook.xml.rels"] = """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""",
        ["xl/worksheets/sheet1.xml"] = """<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>设备名称</t></is></c></row></sheetData></worksheet>""",
    });

    public static byte[] Docx() => Zip(new()
    {
        ["[Content_Types].xml"] = """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>""",
        ["word/document.xml"] = """<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>说明</w:t></w:r></w:p></w:body></w:document>""",
    });

    public static byte[] Zip(Dictionary<string, string> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, text) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        return buffer.ToArray();
    }

    public static UploadDossierFileRequest File(string applicationId, DossierFileKind kind, byte[] content, string fileName, string subject = "") => new()
    {
        ApplicationId = applicationId, Kind = kind, Subject = subject, FileName = fileName, Content = ByteString.CopyFrom(content),
    };

    public static SaveScenarioNarrativeRequest Narrative(string applicationId, string scenarioId) => new()
    {
        ApplicationId = applicationId, ScenarioId = scenarioId, CurrentState = "人工排产，设备数据靠手抄", PainPoints = "交期不稳，质量追溯难",
        Solution = "部署MES与设备联网，APS排产", EquipmentAndSoftware = "数控机床32台；MES、APS", Suppliers = "某智能装备有限公司", Results = "关键设备数控化率95%，交付周期缩短20%",
    };

    /// <summary>
    /// Everything submission asks of the dossier: the dossier PDF, the commitment letter, both lists, and per scenario a
    /// narrative and one evidence file, uploaded with the enterprise's token.
    /// </summary>
    public static async Task CompleteAsync(CallInvoker registry, string applicationId, IEnumerable<string> scenarioIds, string enterpriseToken)
    {
        UploadDossierFileRequest[] files =
        [
            File(applicationId, DossierFileKind.Dossier, Pdf(), "申报书.pdf"),
            File(applicationId, DossierFileKind.CommitmentLetter, Pdf("承诺书"), "承诺书.pdf"),
            File(applicationId, DossierFileKind.EquipmentList, Xlsx(), "关键设备清单.xlsx"),
            File(applicationId, DossierFileKind.SoftwareList, Xlsx(), "工业软件清单.xlsx"),
        ];
        foreach (var file in files) await Upload(registry, file, enterpriseToken);
        // The basic requirements whose evidence goes with the application (003 附1).
        foreach (var code in new[] { "above_designated_size", "organisation_and_people" })
            await Upload(registry, File(applicationId, DossierFileKind.DeclarationEvidence, Pdf(code), $"{code}.pdf", code), enterpriseToken);
        foreach (var scenario in scenarioIds)
        {
            await registry.Unary<SaveScenarioNarrativeRequest, ScenarioNarrative>(Method("SaveScenarioNarrative"), Narrative(applicationId, scenario), enterpriseToken);
            await Upload(registry, File(applicationId, DossierFileKind.ScenarioEvidence, Pdf("场景证明"), $"{scenario}.pdf", scenario), enterpriseToken);
        }
    }

    public static Task<DossierFile> Upload(CallInvoker registry, UploadDossierFileRequest file, string token) =>
        registry.Unary<UploadDossierFileRequest, DossierFile>(Method("UploadDossierFile"), file, token);

    private static Google.Protobuf.Reflection.MethodDescriptor Method(string name) => GrpcTesting.Find(name, DossierService.Descriptor);
}
