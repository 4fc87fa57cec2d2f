using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SmartFactory.TestSupport;
using Xunit.Abstractions;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// Every route of the OpenAPI document (a new one included) called by every kind of caller — no token, each role, a city
/// of another city and an enterprise of another credit code — on one city's real records: no token is refused where
/// README's table asks for one, and no caller learns of a record outside its scope, neither by reading it nor by an
/// answer that differs from the answer for a record that does not exist.
/// </summary>
public class RoleMatrixTests(GatewayFixture fixture, ITestOutputHelper output) : IClassFixture<GatewayFixture>
{
    private const string OtherCity = "other city", OtherEnterprise = "other enterprise";

    /// <summary>README's route table: what the public calls without a token (and /dev/token, in Development).</summary>
    private static readonly HashSet<string> Public =
        ["GET /api/v1/notices", "GET /api/v1/notices/{id}", "POST /api/v1/notices/{id}/objections", "GET /api/v1/calendar", "POST /dev/token",
         "GET /api/v1/catalog/entries", "GET /api/v1/catalog/entries/{id}", "GET /api/v1/catalog/lists", "GET /api/v1/catalog/lists/{id}",
         "GET /api/v1/catalog/entries/export", "GET /api/v1/catalog/lists/{id}/export", "GET /api/v1/catalog/feed.atom"];

    /// <summary>The record a path parameter names, by the collection before it.</summary>
    private static string Record(CityRecords records, (string EntryId, string ListId) catalog, string collection) => collection switch
    {
        "entries" => catalog.EntryId,
        "lists" => catalog.ListId,
        "enterprises" => records.EnterpriseId,
        "factories" => records.FactoryId,
        "applications" => records.ApplicationId,
        "recognitions" => records.RecognitionId,
        "notices" => records.NoticeId,
        "objections" => records.ObjectionId,
        "evidence" => records.EvidenceId,
        "campaigns" => records.CampaignId,
        "round-windows" => (GatewayFixture.Today.Month <= 3 ? GatewayFixture.Today.Year : GatewayFixture.Today.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "calendar" => "2030", // a year, of no one's scope: the calendar is the province's to upload, and public to read
        "files" => records.DossierFileId,
        "narratives" => "2025-20",
        "recommendation-lists" => records.RecommendationListId,
        "spot-check-rounds" => records.SpotCheckRoundId,
        "spot-checks" => records.SpotCheckId,
        _ => throw new InvalidOperationException($"a route names a record of '{collection}': say here which of the records it is"),
    };

    /// <summary>
    /// The programme's rounds and the province's yearly windows are no one's records: every signed-in caller reads them
    /// (an enterprise chooses its city's round), so another city or enterprise may see that one exists.
    /// </summary>
    private static readonly HashSet<string> Shared = ["campaigns", "round-windows"];

    [Fact]
    public async Task Every_route_answers_each_caller_only_from_its_scope()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var routes = OpenApiRoute.Read(document);
        var records = await CityRecords.CreateAsync(fixture, "420100");
        var catalog = await PublishedEntryAsync("420100");
        (string Name, string? Token)[] callers =
        [
            ("no token", null), ("enterprise", fixture.Enterprise(records.CreditCode)), ("city", fixture.City(records.Region)), ("province", fixture.Province),
            ("ministry", fixture.Issuer.Token("ministry", "000000")), ("service", fixture.Issuer.ServiceToken()),
            (OtherCity, fixture.City("420500")), (OtherEnterprise, fixture.Enterprise(CreditCodes.New(records.Region))),
        ];
        using var http = fixture.ClientFrom(GatewayFixture.NewClientAddress()); // objections are limited per client
        var failures = new List<string>();
        var matrix = new StringBuilder($"{"",-56}{string.Join("", callers.Select(c => $"{c.Name,-17}"))}\n");
        var seen = new HashSet<OpenApiRoute>();
        var listings = 0;

        foreach (var route in routes)
        {
            var isPublic = Public.Contains(route.ToString());
            var named = System.Text.RegularExpressions.Regex.Matches(route.Template, @"(\w[\w-]*)/\{(\w+)\}").Select(m => m.Groups[1].Value).ToList();
            var path = System.Text.RegularExpressions.Regex.Replace(route.Template, @"(\w[\w-]*)/\{\w+\}", m => $"{m.Groups[1].Value}/{Record(records, catalog, m.Groups[1].Value)}");
            var missing = System.Text.RegularExpressions.Regex.Replace(route.Template, @"\{\w+\}", _ => Guid.NewGuid().ToString());
            var (body, json) = Body(document, route, records);
            // The ids in the path and the body are the caller's own words: an answer may repeat them ("no enterprise … in your scope").
            string[] secrets = [.. Secrets(records, route).Where(s => !path.Contains(s) && json?.Contains(s) != true)];
            // The callers at once (the answers do not depend on each other's), each one's row cell in its place.
            var answers = await Task.WhenAll(callers.Select(async caller =>
            {
                var (name, token) = caller;
                var (status, text) = await Call(http, route, path, token, body);
                var cell = status.ToString();
                var wrong = new List<string>();
                void Fail(string why) => wrong.Add($"{route} as {name}: {why} — {status} {(text.Length > 300 ? text[..300] : text)}");
                if (named.Count == 0 && Query(route, records) is { Length: > 0 } query)
                {
                    // A list once as it comes, once filtered to the records; the filtered one may ask for more (drafts need a token).
                    var (filtered, filteredText) = await Call(http, route, path + query, token, body);
                    if (filtered >= 500) Fail($"a server error when filtered ({filtered})");
                    text += filteredText;
                }

                if (status >= 500) Fail("a server error");
                if (token is null && isPublic == (status == 401)) Fail(isPublic ? "a public route asks for a token" : "answered without a token");
                if ((text.Contains(CityRecords.ObjectorPhone) || text.Contains(CityRecords.ObjectorName)) && !(name == "city" && route.Template.Contains("objections")))
                    Fail("shows the objector to someone other than the publishing authority");

                var other = name is OtherCity or OtherEnterprise;
                if (named.Count > 0)
                {
                    var (absent, _) = await Call(http, route, missing, token, body);
                    if (status != absent) cell = $"{status}({absent})"; // the answer depends on the record: the caller may act on it
                    if (other && !isPublic && !Shared.Contains(named[0]))
                    {
                        if (status != absent) Fail($"answers otherwise than for a record that does not exist ({absent})");
                        if (route.Method == "GET" && status != 404) Fail("reads a record out of scope as other than 404");
                    }
                }
                if (other && secrets.FirstOrDefault(text.Contains) is { } secret) Fail($"shows {secret}, of another scope");
                var listed = named.Count == 0 && route.Method == "GET" && !other && secrets.Any(text.Contains);
                return (Cell: cell, Wrong: wrong, Seen: named.Count > 0 && status is >= 200 and < 300, Listed: listed);
            }));
            matrix.AppendLine($"{route,-56}{string.Join("", answers.Select(a => $"{a.Cell,-17}"))}");
            failures.AddRange(answers.SelectMany(a => a.Wrong));
            if (answers.Any(a => a.Seen)) seen.Add(route);
            listings += answers.Count(a => a.Listed);
        }
        output.WriteLine(matrix.ToString());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Vacuous otherwise: every record route shows its record to someone, and the lists list the records to their scope.
        Assert.DoesNotContain(routes, r => r.Method == "GET" && r.Template.Contains('{') && !seen.Contains(r));
        Assert.True(listings >= 10, $"the records were listed {listings} times");
    }

    private static async Task<(int, string)> Call(HttpClient http, OpenApiRoute route, string path, string? token, Func<HttpContent?> body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path) { Content = body() };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A basic recognition of another factory of the city that took effect (the notices relay's command, with the service
    /// token), once the catalog has pulled it: its entry and its list, for the catalog's record routes.
    /// </summary>
    private async Task<(string EntryId, string ListId)> PublishedEntryAsync(string region)
    {
        var entry = await fixture.PublishedCatalogEntry(region);
        return (GatewayFixture.Id(entry), entry.GetProperty("listIds")[0].GetString()!);
    }

    /// <summary>What a caller of another scope must never see, on this route.</summary>
    private static IEnumerable<string> Secrets(CityRecords records, OpenApiRoute route)
    {
        string[] always = [records.EnterpriseId, records.FactoryId, records.CreditCode, records.RecognitionId, records.ObjectionId, records.EvidenceId,
            records.DossierFileId];
        // A published notice shows its items' applications, enterprises and factories to anyone: that is the publicity.
        return route.Template.StartsWith("/api/v1/notices", StringComparison.Ordinal) && !route.Template.Contains("objections")
            ? always : [.. always, records.ApplicationId, records.EnterpriseName, records.FactoryName];
    }

    /// <summary>A list's filters pointed at the records, and pages large enough to hold them.</summary>
    private static string Query(OpenApiRoute route, CityRecords records)
    {
        var values = route.Query.Select(name => (name, value: name switch
        {
            "pageSize" => "100",
            "includeDrafts" => "true",
            "withinDays" => "3660",
            "year" => GatewayFixture.Today.Year.ToString(),
            "regionCode" => records.Region,
            "enterpriseId" => records.EnterpriseId,
            "factoryId" => records.FactoryId,
            "campaignId" => records.CampaignId,
            "creditCode" => records.CreditCode,
            _ => null,
        })).Where(q => q.value is not null).ToList();
        return values.Count == 0 ? "" : "?" + string.Join('&', values.Select(q => $"{q.name}={Uri.EscapeDataString(q.value!)}"));
    }

    /// <summary>
    /// A body of the route's shape that refers to the records where it names one, but changes nothing: versions are
    /// stale and dates long past, so that a caller in scope is refused after its scope is checked.
    /// </summary>
    private static (Func<HttpContent?> Content, string? Json) Body(JsonElement document, OpenApiRoute route, CityRecords records)
    {
        var json = route.BodyType == "application/json" ? Value(document, route.BodySchema!.Value, "", records)!.ToJsonString() : null;
        return route.BodyType switch
        {
            "application/json" => (() => new StringContent(json!, Encoding.UTF8, "application/json"), json),
            // No name: refused, never filed.
            "multipart/form-data" => (() => new MultipartFormDataContent { { new StringContent(records.ItemId), "itemId" } }, records.ItemId),
            null => (() => null, null),
            var other => throw new InvalidOperationException($"{route} takes {other}: say here what to send"),
        };
    }

    private static JsonNode? Value(JsonElement document, JsonElement schema, string name, CityRecords records)
    {
        schema = OpenApiRoute.Resolve(document, schema);
        JsonNode? known = name switch
        {
            "expectedVersion" => 999_999,
            "enterpriseId" => records.EnterpriseId,
            "factoryId" => records.FactoryId,
            "campaignId" => records.CampaignId,
            "applicationId" => records.ApplicationId,
            "itemId" => records.ItemId,
            "regionCode" or "region" => records.Region,
            "creditCode" => records.CreditCode,
            "industryCode" => "38",
            "role" => "city",
            // An application's content as the registry takes it, so that its refusal is about the scope.
            "catalogEdition" => "2025",
            "scenarioId" => "2025-20",
            "kpiId" => "K01",
            _ => null,
        };
        if (known is not null) return known;
        if (schema.TryGetProperty("enum", out var values))
            return values.EnumerateArray().Select(v => v.GetString()).First(v => v != "unspecified");
        return OpenApiRoute.Type(schema) switch
        {
            "object" => new JsonObject(schema.TryGetProperty("properties", out var properties)
                ? properties.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Value(document, p.Value, p.Name, records))) : []),
            "array" => new JsonArray(Value(document, schema.GetProperty("items"), name.EndsWith("Ids", StringComparison.Ordinal) ? name[..^1] : "", records)),
            "integer" or "number" => 1,
            "boolean" => true,
            _ when schema.TryGetProperty("format", out var format) && format.GetString() == "date" => "1999-01-01",
            _ => "矩阵",
        };
    }
}
