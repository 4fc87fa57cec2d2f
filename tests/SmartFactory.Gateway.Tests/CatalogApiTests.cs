using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using MiniExcelLibs;

namespace SmartFactory.Gateway.Tests;

/// <summary>The public catalog through the gateway, with no token: search, permalink, lists, exports, the Atom feed.</summary>
public sealed class CatalogApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task The_public_searches_opens_a_list_and_exports_it_as_csv_json_and_xlsx_without_a_token()
    {
        var entry = await fixture.PublishedCatalogEntry("420500");
        var factoryName = entry.GetProperty("factoryName").GetString()!;
        var listId = entry.GetProperty("listIds")[0].GetString()!;

        var found = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/catalog/entries?q={Uri.EscapeDataString("宜昌")}&level=basic&region=420500", null);
        Assert.Contains(found.GetProperty("items").EnumerateArray(), e => e.GetProperty("id").GetString() == entry.GetProperty("id").GetString()
            && e.GetProperty("highlightedFactoryName").GetString() is not null);
        Assert.Contains(found.GetProperty("facets").GetProperty("region").EnumerateArray(), f => f.GetProperty("value").GetString() == "420500");
        var list = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/catalog/lists/{listId}", null);
        Assert.EndsWith("宜昌市基础级智能工厂名单", list.GetProperty("name").GetString());
        var lists = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/catalog/lists?level=basic", null);
        Assert.Contains(lists.GetProperty("items").EnumerateArray(), l => l.GetProperty("id").GetString() == listId);

        // CSV: UTF-8 with its BOM, so that Excel reads the Chinese; the header row and the entry.
        var csv = await fixture.Http.GetAsync($"/api/v1/catalog/lists/{listId}/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("企业名称,工厂名称,曾用名,所在地区", lines[0]);
        Assert.Contains(lines, l => l.Contains(factoryName) && l.Contains("基础级") && l.Contains("有效"));
        Assert.Contains(".csv", csv.Content.Headers.ContentDisposition?.FileNameStar);

        var json = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/v1/catalog/entries/export?format=json&q={Uri.EscapeDataString(factoryName)}");
        Assert.Equal(factoryName, Assert.Single(json.EnumerateArray()).GetProperty("factoryName").GetString());

        var xlsx = await fixture.Http.GetAsync($"/api/v1/catalog/lists/{listId}/export?format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        using var sheet = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(rows, r => (string)r["工厂名称"] == factoryName && (string)r["状态"] == "有效");

        // An empty search still exports its headers; a wrong format or filter is a problem before any byte is sent.
        var empty = await fixture.Http.GetStringAsync($"/api/v1/catalog/entries/export?q={Uri.EscapeDataString("不存在的名字" + Guid.NewGuid())}");
        Assert.StartsWith("\uFEFF企业名称", empty);
        var wrong = await fixture.Expect(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/v1/catalog/entries/export?format=pdf&level=gold&region=4", null);
        Assert.Equal(["format", "level"], wrong.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order());
        var badRegion = await fixture.Expect(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/v1/catalog/entries/export?region=4", null);
        Assert.Equal("region", Assert.Single(badRegion.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        await fixture.Expect(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/catalog/lists/{Guid.NewGuid()}/export", null);
        await fixture.Expect(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/catalog/entries/{Guid.NewGuid()}", null);

        // The Atom feed names the list and the published notices, each with its link.
        var notice = GatewayFixture.Id(await fixture.PublishedNotice("421200"));
        var feed = XDocument.Parse(await fixture.Http.GetStringAsync("/api/v1/catalog/feed.atom"));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        Assert.Contains(feed.Root!.Elements(atom + "entry"), e => e.Element(atom + "id")!.Value == $"urn:uuid:{listId}"
            && e.Element(atom + "link")!.Attribute("href")!.Value.EndsWith($"/api/v1/catalog/lists/{listId}", StringComparison.Ordinal));
        Assert.Contains(feed.Root!.Elements(atom + "entry"), e => e.Element(atom + "id")!.Value == $"urn:uuid:{notice}"
            && e.Element(atom + "link")!.Attribute("href")!.Value.EndsWith($"/api/v1/notices/{notice}", StringComparison.Ordinal));
    }
}
