using System.Text.Json;
using SmartFactory.Contracts.Catalog.V1;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Contract.Tests;

/// <summary>
/// The platform's gRPC surface as a client in another language sees it: Debian's grpcio with stubs from the protos,
/// against each service's own port and through the gateway's gRPC port.
/// </summary>
public sealed class ContractTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private static readonly string[] RegistryServices = [RegistryService.Descriptor.FullName, LifecycleService.Descriptor.FullName,
        DossierService.Descriptor.FullName, RecommendationService.Descriptor.FullName, SpotCheckService.Descriptor.FullName];
    private static readonly string[] AllServices = [.. RegistryServices, NoticesService.Descriptor.FullName, CatalogService.Descriptor.FullName];
    private const string Health = "grpc.health.v1.Health";
    private const string Reflection = "grpc.reflection.v1alpha.ServerReflection";

    public static TheoryData<string> RegistryTargets => ["registry", "gateway"];

    private Task<JsonElement> Run(string target, string testCase, object? args = null) => Python.Run(platform.Target(target), testCase, args);

    [Theory]
    [InlineData("registry")]
    [InlineData("notices")]
    [InlineData("catalog")]
    [InlineData("gateway")]
    public async Task Health_answers_serving_for_every_service_it_answers_for(string target)
    {
        var services = target switch
        {
            "registry" => RegistryServices,
            "notices" => [NoticesService.Descriptor.FullName],
            "catalog" => [CatalogService.Descriptor.FullName],
            _ => AllServices,
        };
        var answers = await Run(target, "health", new { services = services.Prepend("").Append("no.such.Service") });
        foreach (var service in services.Prepend(""))
            Assert.Equal(("OK", "SERVING"), Answer(answers.GetProperty(service)));
        Assert.Equal("NOT_FOUND", answers.GetProperty("no.such.Service").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("registry")]
    [InlineData("notices")]
    [InlineData("catalog")]
    [InlineData("gateway")]
    public async Task Reflection_lists_every_service(string target)
    {
        string[] expected = target switch
        {
            "registry" => RegistryServices,
            "notices" => [NoticesService.Descriptor.FullName],
            "catalog" => [CatalogService.Descriptor.FullName],
            _ => AllServices,
        };
        var listed = (await Run(target, "reflection")).GetProperty("services").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Equal(expected.Append(Health).Append(Reflection).Order(), listed.Where(s => s != "grpc.reflection.v1.ServerReflection"));
    }

    [Theory]
    [MemberData(nameof(RegistryTargets))]
    public async Task A_call_without_a_token_or_with_a_bad_one_is_unauthenticated(string target)
    {
        Assert.Equal(("OK", 18), Count(await Run(target, "regions", new { token = platform.Issuer.Token("ministry", "000000") })));
        Assert.Equal("UNAUTHENTICATED", Code(await Run(target, "regions")));
        Assert.Equal("UNAUTHENTICATED", Code(await Run(target, "regions", new { token = "not-a-token" })));
        Assert.Equal("UNAUTHENTICATED", Code(await Run(target, "regions", new { token = platform.Issuer.Token("ministry", "000000") + "x" })));
    }

    [Theory]
    [MemberData(nameof(RegistryTargets))]
    public async Task An_unknown_method_or_service_is_unimplemented(string target)
    {
        var token = platform.Province;
        Assert.Equal("UNIMPLEMENTED", Code(await Run(target, "unknown_method", new { path = $"/{RegistryService.Descriptor.FullName}/NoSuchMethod", token })));
        Assert.Equal("UNIMPLEMENTED", Code(await Run(target, "unknown_method", new { path = "/smartfactory.nothing.v1.Nothing/Get", token })));
    }

    [Theory]
    [MemberData(nameof(RegistryTargets))]
    public async Task Invalid_arguments_come_with_every_wrong_field_in_bad_request_details(string target)
    {
        var answer = await Run(target, "register_enterprise", new
        {
            token = platform.Province,
            request = new { credit_code = "91420100MA4K00000X", name = "", region_code = "999999", industry_code = "" },
        });
        Assert.Equal("INVALID_ARGUMENT", Code(answer));
        Assert.Equal(3, answer.GetProperty("status_code").GetInt32());
        Assert.Equal(["type.googleapis.com/google.rpc.BadRequest"], answer.GetProperty("type_urls").EnumerateArray().Select(e => e.GetString()));
        var fields = answer.GetProperty("violations").EnumerateArray().Select(v => v[0].GetString()).ToList();
        Assert.Equal(["credit_code", "name", "region_code", "industry_code", "size", "nature"], fields);
        Assert.All(answer.GetProperty("violations").EnumerateArray(), v => Assert.False(string.IsNullOrWhiteSpace(v[1].GetString())));
    }

    [Theory]
    [MemberData(nameof(RegistryTargets))]
    public async Task A_record_out_of_scope_is_not_found(string target)
    {
        var wuhan = await platform.WuhanEnterprise();
        Assert.Equal("OK", Code(await Run(target, "get_enterprise", new { id = wuhan.Id, token = platform.City("420100") })));
        var answer = await Run(target, "get_enterprise", new { id = wuhan.Id, token = platform.City("420600") });
        Assert.Equal("NOT_FOUND", Code(answer));
        Assert.DoesNotContain("武汉", answer.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(RegistryTargets))]
    public async Task A_deadline_that_passes_while_the_service_waits_is_exceeded(string target)
    {
        var wuhan = await platform.WuhanEnterprise();
        var update = new
        {
            id = wuhan.Id, expected_version = wuhan.Version, name = wuhan.Name + "（更名）", region_code = "420100", industry_code = "36",
            size = (int)EnterpriseSize.Large, nature = (int)EnterpriseNature.Private,
        };
        // The test holds the enterprise's row, so the service's update waits in PostgreSQL until the deadline passes.
        await using (var holder = new Npgsql.NpgsqlConnection(platform.Database.ConnectionString))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var lockRow = new Npgsql.NpgsqlCommand("select 1 from registry.enterprises where id = @id for update", holder, transaction))
            {
                lockRow.Parameters.AddWithValue("id", Guid.Parse(wuhan.Id));
                await lockRow.ExecuteScalarAsync();
            }
            var waited = await Run(target, "update_enterprise", new { token = platform.Province, seconds = 1.0, request = update });
            Assert.Equal("DEADLINE_EXCEEDED", Code(waited));
            Assert.InRange(waited.GetProperty("elapsed").GetDouble(), 0.9, 10);
        }
        // Nothing of the cancelled update was kept: the same version updates once the row is free.
        Assert.Equal("OK", Code(await Run(target, "update_enterprise", new { token = platform.Province, seconds = 20, request = update })));
    }

    [Theory]
    [MemberData(nameof(RegistryTargets))]
    public async Task Messages_over_the_size_limits_are_refused(string target)
    {
        // The services take 4 MiB a message (the notices service more, for evidence files): a 5 MiB name is refused whole.
        var tooLarge = await Run(target, "register_enterprise", new
        {
            token = platform.Province,
            request = new { credit_code = "91420100MA4K00000X", name = new string('厂', 5 * 1024 * 1024 / 3), region_code = "420100", industry_code = "36" },
        });
        Assert.Equal("RESOURCE_EXHAUSTED", Code(tooLarge));
        // And a client's own receive limit holds against an answer larger than it.
        var tooLargeAnswer = await Run(target, "regions", new { token = platform.Province, max_receive = 64 });
        Assert.Equal("RESOURCE_EXHAUSTED", Code(tooLargeAnswer));
    }

    private static string? Code(JsonElement answer) => answer.GetProperty("code").GetString();

    private static (string?, string?) Answer(JsonElement answer) => (Code(answer), answer.TryGetProperty("answer", out var a) ? a.GetString() : null);

    private static (string?, int) Count(JsonElement answer) => (Code(answer), answer.TryGetProperty("answer", out var a) ? a.GetInt32() : -1);
}
