using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using SmartFactory.TestSupport;
using static SmartFactory.Gateway.Tests.GatewayFixture;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// The dossier (申报材料) through the gateway over HTTP: multipart uploads, narratives as JSON, the listing, downloads
/// with their SHA-256 in a header, deletion; no token is a 401, another enterprise or city a 404 (003 第二十二条).
/// </summary>
public class DossierApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private async Task<HttpResponseMessage> Upload(string applicationId, string? token, string kind, byte[] content, string fileName, string contentType,
        string? subject = null)
    {
        using var form = new MultipartFormDataContent { { new StringContent(kind), "kind" } };
        if (subject is not null) form.Add(new StringContent(subject), "subject");
        form.Add(new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } }, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/applications/{applicationId}/dossier/files") { Content = form };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await fixture.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_dossier_goes_up_as_multipart_and_comes_back_with_its_SHA256_then_the_application_is_submitted_003_第十七条()
    {
        var campaign = await fixture.BasicRound("420100");
        var (creditCode, factory) = await fixture.RegisterFactory("420100");
        var enterprise = fixture.Enterprise(creditCode);
        var draft = Id(await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, Form(campaign, factory, maturity: 2)));

        var refused = await fixture.Expect(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/v1/applications/{draft}/submit", enterprise, new { expectedVersion = 1 });
        Assert.Contains("the dossier lacks the dossier (申报书, PDF)", Rules(refused));

        var pdf = Dossiers.Pdf();
        var uploaded = await Upload(draft, enterprise, "dossier", pdf, "申报书.pdf", "application/pdf");
        var file = await uploaded.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, file.ToString());
        Assert.Equal($"/api/v1/applications/{draft}/dossier/files/{Id(file)}", uploaded.Headers.Location?.OriginalString);
        Assert.Equal(("dossier", Convert.ToHexStringLower(SHA256.HashData(pdf))), (file.GetProperty("kind").GetString(), file.GetProperty("sha256").GetString()));

        // A DOCX renamed .xlsx is refused where a list must be XLSX or PDF; a misnamed part and a missing kind are named.
        var disguised = await Upload(draft, enterprise, "equipment_list", Dossiers.Docx(), "关键设备清单.xlsx", "application/octet-stream");
        Assert.Equal(HttpStatusCode.BadRequest, disguised.StatusCode);
        Assert.Equal(["file.content"], Fields(await disguised.Content.ReadFromJsonAsync<JsonElement>()));
        using (var wrongPart = new MultipartFormDataContent { { new ByteArrayContent(pdf), "evidence", "a.pdf" } })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/applications/{draft}/dossier/files") { Content = wrongPart };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", enterprise);
            var answer = await fixture.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Equal(["evidence", "file"], Fields(await answer.Content.ReadFromJsonAsync<JsonElement>()));
        }

        Assert.Equal(HttpStatusCode.Created, (await Upload(draft, enterprise, "commitment_letter", Dossiers.Png, "承诺书.png", "image/png")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Upload(draft, enterprise, "equipment_list", Dossiers.Xlsx(), "关键设备清单.xlsx", "application/octet-stream")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Upload(draft, enterprise, "software_list", Dossiers.Pdf("工业软件清单"), "工业软件清单.pdf", "application/pdf")).StatusCode);
        var extra = await (await Upload(draft, enterprise, "declaration_evidence", Dossiers.Docx(), "说明.docx", "application/octet-stream", "secure_controllable"))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("secure_controllable", extra.GetProperty("subject").GetString());
        foreach (var code in new[] { "above_designated_size", "organisation_and_people" })
            Assert.Equal(HttpStatusCode.Created, (await Upload(draft, enterprise, "declaration_evidence", Dossiers.Pdf(code), $"{code}.pdf", "application/pdf", code)).StatusCode);
        foreach (var scenario in FormScenarios)
        {
            var narrative = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/applications/{draft}/dossier/narratives/{scenario}", enterprise, new
            {
                currentState = "人工记录", painPoints = "追溯难", solution = "MES", equipmentAndSoftware = "数控机床；MES", suppliers = "某公司", results = "效率提升20%",
            });
            Assert.Equal(scenario, narrative.GetProperty("scenarioId").GetString());
            Assert.Equal(HttpStatusCode.Created, (await Upload(draft, enterprise, "scenario_evidence", Dossiers.Jpeg, $"{scenario}.jpg", "image/jpeg", scenario)).StatusCode);
        }

        var download = await fixture.Send(HttpMethod.Get, $"/api/v1/applications/{draft}/dossier/files/{Id(file)}", enterprise);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(file.GetProperty("sha256").GetString(), download.Headers.GetValues("X-Content-SHA256").Single());

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Send(HttpMethod.Delete, $"/api/v1/applications/{draft}/dossier/files/{Id(extra)}", enterprise)).StatusCode);
        var dossier = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/applications/{draft}/dossier", enterprise);
        Assert.Empty(dossier.GetProperty("missing").EnumerateArray());
        Assert.Equal(4 + 2 + FormScenarios.Length, dossier.GetProperty("files").GetArrayLength()); // with two requirements' evidence
        Assert.DoesNotContain(Id(extra), dossier.GetProperty("files").EnumerateArray().Select(Id));

        var submitted = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{draft}/submit", enterprise, new { expectedVersion = 1 });
        Assert.Equal("submitted", submitted.GetProperty("status").GetString());
        var locked = await Upload(draft, enterprise, "dossier", pdf, "申报书.pdf", "application/pdf");
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Equal(["a submitted application's dossier can no longer be changed"], Rules(await locked.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task No_token_is_a_401_and_another_enterprise_or_city_reads_as_for_no_application_003_第二十二条()
    {
        var campaign = await fixture.BasicRound("420100");
        var (creditCode, factory) = await fixture.RegisterFactory("420100");
        var enterprise = fixture.Enterprise(creditCode);
        var draft = Id(await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, Form(campaign, factory, maturity: 2)));
        await fixture.CompleteDossier(draft, creditCode);
        var file = Id((await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/applications/{draft}/dossier", enterprise)).GetProperty("files")[0]);

        string[] paths = [$"/api/v1/applications/{draft}/dossier", $"/api/v1/applications/{draft}/dossier/files/{file}"];
        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Send(HttpMethod.Get, path, null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fixture.Send(HttpMethod.Get, path, fixture.City("420100"))).StatusCode);
            foreach (var outsider in new[] { fixture.Enterprise(CreditCodes.New("420100")), fixture.City("420500"), fixture.Province })
            {
                var answer = await fixture.Send(HttpMethod.Get, path, outsider);
                Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
                Assert.DoesNotContain("申报书", await answer.Content.ReadAsStringAsync());
            }
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await Upload(draft, null, "dossier", Dossiers.Pdf(), "a.pdf", "application/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Upload(draft, fixture.Enterprise(CreditCodes.New("420100")), "dossier", Dossiers.Pdf(), "a.pdf", "application/pdf")).StatusCode);
    }

    [Fact]
    public async Task The_dossier_routes_are_in_the_OpenAPI_document()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var routes = OpenApiRoute.Read(document).Select(r => r.ToString()).ToHashSet();
        Assert.Subset(routes, new HashSet<string>
        {
            "GET /api/v1/applications/{id}/dossier", "POST /api/v1/applications/{id}/dossier/files", "GET /api/v1/applications/{id}/dossier/files/{fileId}",
            "DELETE /api/v1/applications/{id}/dossier/files/{fileId}", "PUT /api/v1/applications/{id}/dossier/narratives/{scenarioId}",
        });
        var upload = document.GetProperty("paths").GetProperty("/api/v1/applications/{id}/dossier/files").GetProperty("post");
        Assert.Equal("UploadDossierFile", upload.GetProperty("operationId").GetString());
        Assert.True(upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        Assert.True(upload.GetProperty("responses").TryGetProperty("413", out _));
    }
}
