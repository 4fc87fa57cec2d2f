extern alias registry;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using registry::SmartFactory.Registry.Domain;
using SmartFactory.TestSupport;
using static SmartFactory.Gateway.Tests.GatewayFixture;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// Publicity notices through the gateway over HTTP: the public reads published notices and files objections without a
/// token, the city drafts, publishes and resolves with its own. The services run on the real clock (the notices service's
/// moved to the next working day on a day off), so a period cannot end within a test: closing is refused here, and the
/// way from closing to the registry is tested in SmartFactory.Notices.Tests on a clock the tests move.
/// </summary>
public class NoticesApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Objector = "张三";
    private const string Phone = "13800138000";

    private static string ItemId(JsonElement notice) => Id(notice.GetProperty("items")[0]);

    /// <summary>An objection as a browser sends it: the fields, and each file as a part named evidence.</summary>
    private static MultipartFormDataContent Objection(string itemId, string name = Objector, params (string Name, string Type, byte[] Content)[] evidence)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(itemId), "itemId" }, { new StringContent(name), "objectorName" }, { new StringContent(Phone), "contactPhone" },
            { new StringContent("襄阳市某某咨询有限公司"), "organisation" }, { new StringContent("申报的关键工序数控化率与现场情况不符"), "grounds" },
        };
        foreach (var (fileName, type, content) in evidence)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(part, "evidence", fileName);
        }
        return form;
    }

    private static async Task<HttpResponseMessage> FileObjection(HttpClient client, string noticeId, HttpContent form, string? idempotencyKey = null,
        string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/notices/{noticeId}/objections") { Content = form };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }

    /// <summary>A gateway of its own in front of the fixture's services, with settings of the test's.</summary>
    private ServiceHost<Program> Gateway(params (string Key, string? Value)[] settings)
    {
        var all = fixture.SettingsWithoutDevelopmentKey();
        all["Services:Registry"] = fixture.Registry.GrpcAddress.ToString();
        all["Services:Notices"] = fixture.Notices.GrpcAddress.ToString();
        foreach (var (key, value) in settings) all[key] = value;
        return new ServiceHost<Program>(all, "Production").Start();
    }

    /// <summary>The limiter counts per calendar minute: a test filing several objections starts early enough in one.</summary>
    private async Task StartOfAMinute()
    {
        var now = fixture.NoticesClock.GetUtcNow();
        if (now.Second > 45) await Task.Delay(TimeSpan.FromSeconds(61 - now.Second));
    }

    /// <summary>A private address no other test (nor an earlier run within the limiter's window) is likely to name.</summary>
    private static string NewForwardedAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>A one-page PDF that readers open, with a correct cross-reference table.</summary>
    private static byte[] SmallPdf()
    {
        const string text = "BT /F1 18 Tf 72 770 Td (Site visit 2026: CNC rate 41%, not 85% as declared) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {text.Length} >>\nstream\n{text}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) pdf.Append($"{offset:D10} 00000 n \n");
        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    [Fact]
    public async Task A_notice_is_drafted_published_objected_to_and_the_objection_resolved()
    {
        var city = fixture.City("420100");
        var today = fixture.NoticesClock.Today.Iso();
        var application = await fixture.ApprovedBasic("420100");
        var created = await fixture.Send(HttpMethod.Post, "/api/v1/notices", city, new
        {
            title = "武汉市2026年度基础级智能工厂拟认定名单公示", applicationIds = new[] { application }, startsOn = today, lengthWorkingDays = 1,
        });
        var draft = await Json(created, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/notices/{Id(draft)}", created.Headers.Location?.OriginalString);
        Assert.Equal(("draft", "basic", "420100"), (draft.GetProperty("status").GetString(), draft.GetProperty("level").GetString(),
            draft.GetProperty("authorityRegion").GetString()));
        Assert.Equal((today, today, 1), (draft.GetProperty("startsOn").GetString(), draft.GetProperty("endsOn").GetString(),
            draft.GetProperty("lengthWorkingDays").GetInt32()));
        Assert.Equal(application, draft.GetProperty("items")[0].GetProperty("applicationId").GetString());
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("publishedAt").ValueKind);

        var notice = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/notices/{Id(draft)}/publish", city,
            new { expectedVersion = Version(draft) });
        Assert.Equal("published", notice.GetProperty("status").GetString());

        // The public files a named objection with a real PDF; the answer is a receipt, and the same key answers it again.
        var pdf = SmallPdf();
        using var client = fixture.ClientFrom(NewClientAddress());
        var key = Guid.NewGuid().ToString();
        var filed = await FileObjection(client, Id(notice), Objection(ItemId(notice), evidence: ("现场核查记录.pdf", "application/pdf", pdf)), key);
        var receiptText = await filed.Content.ReadAsStringAsync();
        var receipt = await Json(filed, HttpStatusCode.Created);
        Assert.Null(filed.Headers.Location);
        Assert.Matches(@"^YY-\d{8}-\d{6}$", receipt.GetProperty("receiptNumber").GetString());
        Assert.Equal((Id(notice), ItemId(notice)), (receipt.GetProperty("noticeId").GetString(), receipt.GetProperty("itemId").GetString()));
        Assert.DoesNotContain(Objector, receiptText);
        var again = await Json(await FileObjection(client, Id(notice), Objection(ItemId(notice), evidence: ("现场核查记录.pdf", "application/pdf", pdf)), key),
            HttpStatusCode.Created);
        Assert.Equal(receipt.GetProperty("receiptNumber").GetString(), again.GetProperty("receiptNumber").GetString());

        // The public sees the notice, listed and alone, without a trace of the objection or the objector.
        var listed = await Json(await fixture.Http.GetAsync("/api/v1/notices?pageSize=100"), HttpStatusCode.OK);
        Assert.Contains(Id(notice), listed.GetProperty("items").EnumerateArray().Select(Id));
        var publicText = await (await fixture.Http.GetAsync($"/api/v1/notices/{Id(notice)}")).Content.ReadAsStringAsync();
        var publicView = JsonDocument.Parse(publicText).RootElement;
        Assert.Equal("published", publicView.GetProperty("status").GetString());
        Assert.False(publicView.TryGetProperty("objections", out _));
        Assert.DoesNotContain(Objector, publicText + listed);
        Assert.DoesNotContain(Phone, publicText + listed);

        // The city sees who objected, and downloads the evidence as it was sent.
        var objection = Assert.Single((await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/notices/{Id(notice)}/objections", city))
            .EnumerateArray());
        Assert.Equal((Objector, Phone, "pending"), (objection.GetProperty("objectorName").GetString(), objection.GetProperty("contactPhone").GetString(),
            objection.GetProperty("status").GetString()));
        Assert.Equal(receipt.GetProperty("receiptNumber").GetString(), objection.GetProperty("receiptNumber").GetString());
        var evidence = Assert.Single(objection.GetProperty("evidence").EnumerateArray());
        Assert.Equal(("现场核查记录.pdf", "application/pdf", (long)pdf.Length), (evidence.GetProperty("fileName").GetString(),
            evidence.GetProperty("contentType").GetString(), evidence.GetProperty("size").GetInt64()));
        var download = await fixture.Send(HttpMethod.Get, $"/api/v1/objections/{Id(objection)}/evidence/{Id(evidence)}", city);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("现场核查记录.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(SHA256.HashData(pdf), SHA256.HashData(bytes));
        Assert.Equal(evidence.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        var dismissed = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/objections/{Id(objection)}/resolution", city,
            new { expectedVersion = Version(objection), upheld = false, reason = "经现场复核,数控化率符合申报" });
        Assert.Equal(("dismissed", "经现场复核,数控化率符合申报"), (dismissed.GetProperty("status").GetString(),
            dismissed.GetProperty("resolutionReason").GetString()));

        // Closing waits for the period to end: the rule names the last day.
        var refused = await fixture.Expect(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/v1/notices/{Id(notice)}/close", city,
            new { expectedVersion = Version(notice) });
        Assert.Equal("FAILED_PRECONDITION", refused.GetProperty("grpcStatus").GetString());
        Assert.Equal([$"the publicity period runs until {notice.GetProperty("endsOn").GetString()}"], Rules(refused));
        Assert.Equal(JsonValueKind.Array, (await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/filings", fixture.Province)).ValueKind);
    }

    [Fact]
    public async Task An_anonymous_or_malformed_objection_is_refused_naming_the_field()
    {
        var notice = await fixture.PublishedNotice("420500");
        using var client = fixture.ClientFrom(NewClientAddress());

        var anonymous = await Json(await FileObjection(client, Id(notice), Objection(ItemId(notice), name: "匿名")), HttpStatusCode.BadRequest);
        Assert.Equal(["objectorName"], Fields(anonymous));

        var sixFiles = Enumerable.Range(1, 6).Select(i => ($"{i}.pdf", "application/pdf", SmallPdf())).ToArray();
        var tooMany = await Json(await FileObjection(client, Id(notice), Objection(ItemId(notice), evidence: sixFiles)), HttpStatusCode.BadRequest);
        Assert.Equal(["evidence"], Fields(tooMany));

        var disguised = await Json(await FileObjection(client, Id(notice), Objection(ItemId(notice), evidence: ("photo.png", "image/png", SmallPdf()))),
            HttpStatusCode.BadRequest);
        Assert.Equal(["evidence[0].contentType"], Fields(disguised));

        var json = await FileObjection(client, Id(notice), JsonContent.Create(new { itemId = ItemId(notice), objectorName = Objector }));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Five_files_of_ten_mebibytes_go_through_in_one_objection()
    {
        var notice = await fixture.PublishedNotice("420200");
        using var client = fixture.ClientFrom(NewClientAddress());
        var large = new byte[10 * 1024 * 1024];
        "%PDF-1.7\n"u8.CopyTo(large);
        var files = Enumerable.Range(1, 5).Select(i => ($"扫描件{i}.pdf", "application/pdf", large)).ToArray();

        await Json(await FileObjection(client, Id(notice), Objection(ItemId(notice), evidence: files)), HttpStatusCode.Created);
        var objection = Assert.Single((await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/notices/{Id(notice)}/objections",
            fixture.City("420200"))).EnumerateArray());
        Assert.Equal(Enumerable.Repeat((long)large.Length, 5), objection.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("size").GetInt64()));
    }

    [Fact]
    public async Task A_draft_is_the_authoritys_only()
    {
        var draft = await fixture.DraftNotice("420600");
        var city = fixture.City("420600");

        var hidden = await fixture.Http.GetAsync($"/api/v1/notices/{Id(draft)}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("application/problem+json", hidden.Content.Headers.ContentType?.MediaType);
        var publicList = await Json(await fixture.Http.GetAsync("/api/v1/notices?pageSize=100"), HttpStatusCode.OK);
        Assert.DoesNotContain(Id(draft), publicList.GetProperty("items").EnumerateArray().Select(Id));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Send(HttpMethod.Get, $"/api/v1/notices/{Id(draft)}", fixture.City("420500"))).StatusCode);

        Assert.Equal("draft", (await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/notices/{Id(draft)}", city)).GetProperty("status").GetString());
        var drafts = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/notices?includeDrafts=true&pageSize=100", city);
        Assert.Contains(Id(draft), drafts.GetProperty("items").EnumerateArray().Select(Id));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Http.GetAsync("/api/v1/notices?includeDrafts=true")).StatusCode);
        // The public cannot draft either.
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Send(HttpMethod.Post, "/api/v1/notices", null, new { title = "x" })).StatusCode);
    }

    [Fact]
    public async Task Only_the_publishing_authority_reads_objections_and_resolutions_need_upheld()
    {
        var notice = await fixture.PublishedNotice("421000");
        using var client = fixture.ClientFrom(NewClientAddress());
        await Json(await FileObjection(client, Id(notice), Objection(ItemId(notice))), HttpStatusCode.Created);
        var objection = (await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/notices/{Id(notice)}/objections", fixture.City("421000")))[0];

        var (creditCode, _) = await fixture.RegisterFactory("421000");
        foreach (var token in new[] { fixture.Enterprise(creditCode), fixture.City("420100") })
        {
            var hidden = await fixture.Expect(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/notices/{Id(notice)}/objections", token);
            Assert.Equal("NOT_FOUND", hidden.GetProperty("grpcStatus").GetString());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Http.GetAsync($"/api/v1/notices/{Id(notice)}/objections")).StatusCode);

        // proto3 would read a missing "upheld" as a dismissal: the gateway asks for it instead.
        var unsaid = await fixture.Expect(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/v1/objections/{Id(objection)}/resolution",
            fixture.City("421000"), new { expectedVersion = Version(objection), reason = "核实" });
        Assert.Equal(["upheld"], Fields(unsaid));
    }

    [Fact]
    public async Task The_seventh_objection_within_a_minute_from_one_client_is_refused()
    {
        var notice = await fixture.PublishedNotice("420100");
        await StartOfAMinute();
        using var client = fixture.ClientFrom(NewClientAddress());
        for (var i = 0; i < ObjectionsPerMinute; i++)
            await Json(await FileObjection(client, Id(notice), Objection(ItemId(notice))), HttpStatusCode.Created);

        var limited = await Json(await FileObjection(client, Id(notice), Objection(ItemId(notice))), HttpStatusCode.TooManyRequests);
        Assert.Equal(("RESOURCE_EXHAUSTED", "Too many requests"), (limited.GetProperty("grpcStatus").GetString(), limited.GetProperty("title").GetString()));
        // Trusting no proxy (the default), the gateway ignores an X-Forwarded-For the client sends itself.
        await Json(await FileObjection(client, Id(notice), Objection(ItemId(notice)), forwardedFor: NewForwardedAddress()), HttpStatusCode.TooManyRequests);
        // Another client is not held back by the first one's objections.
        using var other = fixture.ClientFrom(NewClientAddress());
        await Json(await FileObjection(other, Id(notice), Objection(ItemId(notice))), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_client_it_forwards_has_its_own_limit()
    {
        var notice = await fixture.PublishedNotice("420900");
        // An ingress on loopback: every client's connection comes from it, each client named in X-Forwarded-For.
        await using var gateway = Gateway(("Gateway:TrustedProxies:0", "127.0.0.0/8"));
        using var ingress = gateway.HttpClient();
        await StartOfAMinute();
        var client = NewForwardedAddress();
        for (var i = 0; i < ObjectionsPerMinute; i++)
            await Json(await FileObjection(ingress, Id(notice), Objection(ItemId(notice)), forwardedFor: $"198.51.100.{i}, {client}"), HttpStatusCode.Created);
        // The address the ingress appended counts, not what the client claimed before it.
        await Json(await FileObjection(ingress, Id(notice), Objection(ItemId(notice)), forwardedFor: $"198.51.100.99, {client}"),
            HttpStatusCode.TooManyRequests);
        await Json(await FileObjection(ingress, Id(notice), Objection(ItemId(notice)), forwardedFor: NewForwardedAddress()), HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_unreachable_service_is_a_503_that_does_not_say_where_the_service_lives()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        await using var gateway = Gateway(("Services:Notices", $"http://127.0.0.1:{closedPort}"));
        using var http = gateway.HttpClient();

        var response = await http.GetAsync("/api/v1/notices");
        var text = await response.Content.ReadAsStringAsync();
        var problem = await Json(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(("UNAVAILABLE", "the service is unavailable; try again shortly"),
            (problem.GetProperty("grpcStatus").GetString(), problem.GetProperty("detail").GetString()));
        Assert.DoesNotContain(closedPort.ToString(), text);
        Assert.DoesNotContain("127.0.0.1", text);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_notices_routes()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var routes = new (string Path, string Method, string Name)[]
        {
            ("/api/v1/notices", "get", "ListNotices"), ("/api/v1/notices", "post", "CreateNotice"), ("/api/v1/notices/{id}", "get", "GetNotice"),
            ("/api/v1/notices/{id}/publish", "post", "PublishNotice"), ("/api/v1/notices/{id}/close", "post", "CloseNotice"),
            ("/api/v1/notices/{id}/objections", "post", "FileObjection"), ("/api/v1/notices/{id}/objections", "get", "ListObjections"),
            ("/api/v1/objections/{id}/evidence/{evidenceId}", "get", "GetEvidence"),
            ("/api/v1/objections/{id}/resolution", "post", "ResolveObjection"), ("/api/v1/filings", "get", "ListFilings"),
        };
        foreach (var (path, method, name) in routes)
        {
            var operation = paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out var found) ? found : default;
            Assert.True(operation.ValueKind == JsonValueKind.Object, $"{method} {path}");
            Assert.Equal(name, operation.GetProperty("operationId").GetString());
        }
        var file = paths.GetProperty("/api/v1/notices/{id}/objections").GetProperty("post");
        var form = file.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(form.GetProperty("$ref").GetString()!.Split('/')[^1]);
        Assert.Equal(["contactPhone", "grounds", "itemId", "objectorName"], schema.GetProperty("required").EnumerateArray().Select(f => f.GetString()).Order());
        Assert.True(file.GetProperty("responses").TryGetProperty("429", out _));
        // Public routes do not ask for a token; the authority's do.
        Assert.False(file.GetProperty("responses").TryGetProperty("403", out _));
        Assert.True(paths.GetProperty("/api/v1/notices/{id}/objections").GetProperty("get").GetProperty("responses").TryGetProperty("403", out _));
        Assert.True(paths.GetProperty("/api/v1/objections/{id}/evidence/{evidenceId}").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").TryGetProperty("application/pdf", out _));
    }
}
