extern alias catalog;
extern alias notices;
extern alias registry;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using registry::SmartFactory.Registry.Domain;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults;
using SmartFactory.TestSupport;
using WorkingDayCalendar = notices::SmartFactory.Notices.Domain.WorkingDayCalendar;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// The gateway in front of a real registry and a real notices service, all on Kestrel, all trusting the test issuer and
/// (in Development) the development key the gateway signs /dev/token answers with. The notices service signs in as its
/// own client at the issuer and runs its background relay every second.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string NoticesClientId = "smartfactory-notices";
    public const string CatalogClientId = "smartfactory-catalog";
    /// <summary>Objections one client may file per minute here: the seventh is refused.</summary>
    public const int ObjectionsPerMinute = 6;

    public TestIssuer Issuer { get; } = new();
    public TestDatabase Database { get; private set; } = null!;
    public ServiceHost<registry::Program> Registry { get; private set; } = null!;
    public ServiceHost<notices::Program> Notices { get; private set; } = null!;
    /// <summary>The catalog, pulling the registry's feed every 200 ms with its own service account.</summary>
    public ServiceHost<catalog::Program> Catalog { get; private set; } = null!;
    public ServiceHost<Program> Gateway { get; private set; } = null!;
    public string DevelopmentKeyFile { get; } = Path.Combine(Path.GetTempPath(), $"sf-dev-key-{Guid.NewGuid():N}.pem");
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Today in China on the real clock, as the registry counts it.</summary>
    public static DateOnly Today { get; } = ChinaTime.Today(TimeProvider.System);

    /// <summary>
    /// The notices service's clock: the real one, moved on by whole days only when today is not a working day, since a
    /// publicity period starts on a working day and takes objections from then on (see <see cref="WorkingDayClock"/>).
    /// </summary>
    public WorkingDayClock NoticesClock { get; } = new();

    public async Task InitializeAsync()
    {
        using (var rsa = RSA.Create(2048)) await File.WriteAllTextAsync(DevelopmentKeyFile, rsa.ExportRSAPrivateKeyPem());
        await Issuer.InitializeAsync();
        Issuer.RegisterClient(NoticesClientId, "notices-secret");
        Issuer.RegisterClient(CatalogClientId, "catalog-secret");
        Database = await TestDatabase.CreateAsync();
        var settings = Settings.For(Database, Issuer);
        settings["Auth:DevelopmentKeyFile"] = DevelopmentKeyFile;
        Registry = new ServiceHost<registry::Program>(settings).Start();
        Notices = new ServiceHost<notices::Program>(new Dictionary<string, string?>(settings)
        {
            ["Services:Registry"] = Registry.GrpcAddress.ToString(),
            ["Auth:ClientId"] = NoticesClientId,
            ["Auth:ClientSecret"] = "notices-secret",
            ["Notices:RelayIntervalSeconds"] = "1",
            ["Notices:ObjectionsPerMinute"] = ObjectionsPerMinute.ToString(),
        }, clock: NoticesClock).Start();
        Catalog = new ServiceHost<catalog::Program>(new Dictionary<string, string?>(settings)
        {
            ["Services:Registry"] = Registry.GrpcAddress.ToString(),
            ["Auth:ClientId"] = CatalogClientId,
            ["Auth:ClientSecret"] = "catalog-secret",
            ["Catalog:FeedIntervalMilliseconds"] = "200",
        }).Start();
        Gateway = StartGateway(settings, "Development");
        Http = Gateway.HttpClient();
    }

    /// <summary>
    /// A gateway in front of this fixture's services. The catalog's rate limits are far above what the role matrix and the
    /// fuzz test ask of one address unless <paramref name="settings"/> names them (CatalogCacheTests).
    /// </summary>
    public ServiceHost<Program> StartGateway(Dictionary<string, string?> settings, string environment)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["Services:Registry"] = Registry.GrpcAddress.ToString(),
            ["Services:Notices"] = Notices.GrpcAddress.ToString(),
            ["Services:Catalog"] = Catalog.GrpcAddress.ToString(),
        };
        all.TryAdd(GatewaySettings.Keys.CatalogSearchesPerMinute, "100000");
        all.TryAdd(GatewaySettings.Keys.CatalogExportsPerMinute, "100000");
        return new ServiceHost<Program>(all, environment).Start();
    }

    public Dictionary<string, string?> SettingsWithoutDevelopmentKey() => Settings.For(Database, Issuer);

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Catalog.DisposeAsync();
        await Notices.DisposeAsync();
        await Registry.DisposeAsync();
        await Database.DisposeAsync();
        await Issuer.DisposeAsync();
        File.Delete(DevelopmentKeyFile);
    }

    public async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Http.SendAsync(request);
    }

    /// <summary>The answer's JSON, after asserting its status (the message shows the body when it is not).</summary>
    public async Task<JsonElement> Expect(HttpStatusCode status, HttpMethod method, string path, string? token, object? body = null)
    {
        var response = await Send(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>
    /// An HTTP client of the gateway whose connections come from <paramref name="address"/> (on Linux all of 127.0.0.0/8
    /// is loopback), so the gateway sees a client of its own: the notices service limits objections per client address.
    /// </summary>
    public HttpClient ClientFrom(IPAddress address) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(address, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = Gateway.HttpAddress };

    /// <summary>A loopback address no other test (nor an earlier run within the rate limiter's window) is likely to use.</summary>
    public static IPAddress NewClientAddress() =>
        new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);

    public string Province => Issuer.Token("province", "420000");

    public string City(string region) => Issuer.Token("city", region);

    public string Enterprise(string creditCode) => Issuer.Token("enterprise", "420100", creditCode);

    /// <summary>An enterprise and one factory in the region, registered by the province: (credit code, factory id).</summary>
    public async Task<(string CreditCode, string FactoryId)> RegisterFactory(string region)
    {
        var body = "91" + region + string.Concat(Enumerable.Range(0, 9).Select(_ => CreditCode.Alphabet[Random.Shared.Next(10)]));
        var creditCode = body + CreditCode.CheckCharacter(body);
        var enterprise = await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/enterprises", Province, new
        {
            creditCode, name = "企业" + Guid.NewGuid().ToString("N")[..6], regionCode = region, industryCode = "38", size = "medium", nature = "private",
        });
        var factory = await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/factories", Province, new
        {
            enterpriseId = Id(enterprise), name = "工厂" + Guid.NewGuid().ToString("N")[..6], address = "某路1号", regionCode = region, industryCode = "38",
        });
        return (creditCode, Id(factory));
    }

    /// <summary>
    /// The city's basic round open today, inside the province's window of the year whose 31 March comes next (003 第十条);
    /// the tests of a fixture share it.
    /// </summary>
    public async Task<string> BasicRound(string region)
    {
        var year = Today.Month <= 3 ? Today.Year : Today.Year + 1;
        var windows = await Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/round-windows", Province);
        if (!windows.EnumerateArray().Any(w => w.GetProperty("year").GetInt32() == year))
            await Expect(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/round-windows/{year}", Province, new { opensOn = Today.AddDays(-30).Iso() });
        return await Round(City(region), year, region, new
        {
            level = "basic", year, submissionOpensOn = Today.AddDays(-30).Iso(), submissionClosesOn = new DateOnly(year, 3, 31).Iso(),
        });
    }

    /// <summary>The province's advanced round open today, complete by the 30 June to come (003 第十二条), with the quotas.</summary>
    public Task<string> AdvancedRound(params object[] quotas)
    {
        var year = Today.Month <= 6 ? Today.Year : Today.Year + 1;
        return Round(Province, year, "420000", new
        {
            level = "advanced", year, submissionOpensOn = Today.AddDays(-30).Iso(), submissionClosesOn = new DateOnly(year, 6, 30).Iso(), quotas,
        });
    }

    private async Task<string> Round(string token, int year, string region, object body)
    {
        var created = await Send(HttpMethod.Post, "/api/v1/campaigns", token, body);
        if (created.StatusCode == HttpStatusCode.Created) return Id(await created.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(HttpStatusCode.Conflict, created.StatusCode);
        var campaigns = await Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/campaigns?year={year}", token);
        return Id(campaigns.EnumerateArray().Single(c => c.GetProperty("regionCode").GetString() == region));
    }

    /// <summary>The reviewer's finding that every declared basic requirement is met, as approval needs: the application after it.</summary>
    public Task<JsonElement> VerifyAll(string applicationId, long version, string token) =>
        Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{applicationId}/verifications", token, new
        {
            expectedVersion = version, verifications = RequirementCodes.Select(code => new { code, confirmed = true }),
        });

    /// <summary>
    /// A basic recognition of a new factory in the city that took effect (the notices relay's command, with the service
    /// token), once the catalog has pulled it from the registry's feed: its catalog entry.
    /// </summary>
    public async Task<JsonElement> PublishedCatalogEntry(string region)
    {
        var application = await ApprovedBasic(region);
        var recognition = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{application}/take-effect", Issuer.ServiceToken(),
            new { requestId = Guid.NewGuid().ToString() });
        for (var attempt = 0; ; attempt++)
        {
            var response = await Send(HttpMethod.Get, $"/api/v1/catalog/entries/{Id(recognition)}", null);
            if (response.StatusCode == HttpStatusCode.OK) return await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(attempt < 100, "the catalog did not publish the recognition within 10 s");
            await Task.Delay(100);
        }
    }

    /// <summary>A basic application of a new factory in the city, approved by the city and awaiting publicity: its id.</summary>
    public async Task<string> ApprovedBasic(string region)
    {
        var campaign = await BasicRound(region);
        var (creditCode, factory) = await RegisterFactory(region);
        var enterprise = Enterprise(creditCode);
        var draft = await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, Form(campaign, factory, maturity: 2));
        await CompleteDossier(Id(draft), creditCode);
        var submitted = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/submit", enterprise,
            new { expectedVersion = Version(draft) });
        var verified = await VerifyAll(Id(draft), Version(submitted), City(region));
        await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/review", City(region),
            new { expectedVersion = Version(verified), action = "approve" });
        return Id(draft);
    }

    /// <summary>The city's draft of one working day starting today (as the notices service counts days).</summary>
    public async Task<JsonElement> DraftNotice(string region) =>
        await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/notices", City(region), new
        {
            title = $"{region} 基础级智能工厂拟认定名单公示", applicationIds = new[] { await ApprovedBasic(region) },
            startsOn = NoticesClock.Today.Iso(), lengthWorkingDays = 1,
        });

    public async Task<JsonElement> PublishedNotice(string region)
    {
        var draft = await DraftNotice(region);
        return await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/notices/{Id(draft)}/publish", City(region),
            new { expectedVersion = Version(draft) });
    }

    /// <summary>The scenarios of <see cref="Form"/>.</summary>
    public static readonly string[] FormScenarios = ["2025-20", "2025-24"];

    /// <summary>The complete dossier submission needs (the form's scenarios unless named), uploaded by the enterprise to the registry.</summary>
    public async Task CompleteDossier(string applicationId, string creditCode, params string[] scenarioIds)
    {
        using var channel = Registry.GrpcChannel();
        await Dossiers.CompleteAsync(channel.CreateCallInvoker(), applicationId, scenarioIds.Length > 0 ? scenarioIds : FormScenarios, Enterprise(creditCode));
    }

    public static object Form(string campaignId, string factoryId, int maturity) => new
    {
        campaignId, factoryId,
        maturity = new { level = maturity, assessedOn = Today.AddDays(-10).Iso(), certificateRef = "ZNZZ-2026-0042" },
        catalogEdition = "2025", scenarioIds = FormScenarios,
        kpis = new[] { new { kpiId = "K01", value = 85.5 } }, truthfulnessDeclared = true,
        declarations = Declarations, lastYearRevenue = 8600, legalForm = "independent",
    };

    public static readonly string[] RequirementCodes =
        ["legal_person", "above_designated_size", "not_listed", "products_permitted", "sound_finances", "no_serious_accident", "secure_controllable", "organisation_and_people"];

    /// <summary>Every basic requirement declared met (要素条件, 003 第三条, 附1).</summary>
    public static readonly object[] Declarations = [.. RequirementCodes.Select(code => new { code, affirmed = true })];

    public static string Id(JsonElement element) => element.GetProperty("id").GetString()!;

    public static long Version(JsonElement element) => element.GetProperty("version").GetInt64();

    public static string[] Rules(JsonElement problem) => [.. problem.GetProperty("rules").EnumerateArray().Select(r => r.GetString()!)];

    public static string[] Fields(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!)];
}

/// <summary>
/// The real clock, moved on by whole days when today (in China) is a weekend or holiday: to the next working day on the
/// notices service's calendar; and moved back into the calendar's last year when today is too near its end for a
/// period to fit. On a working day well inside the data it is the real clock itself. Time runs on either way, so the
/// rate limiter's minutes are real minutes.
/// </summary>
public sealed class WorkingDayClock : TimeProvider
{
    private readonly TimeSpan offset;

    public WorkingDayClock()
    {
        var today = ChinaTime.Today(System);
        var calendar = notices::SmartFactory.Notices.Data.CalendarFiles.Read();
        // Near or past the end of the holiday data (a period must fit inside it), run in a June the data holds instead.
        var target = calendar.Years.Contains(today.AddDays(14).Year) ? today : new DateOnly(calendar.Years.Max(), 6, 1);
        offset = TimeSpan.FromDays(calendar.NextWorkingDay(target).DayNumber - today.DayNumber);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;

    /// <summary>The business date the notices service sees: today if it is a working day.</summary>
    public DateOnly Today => this.Today();
}
