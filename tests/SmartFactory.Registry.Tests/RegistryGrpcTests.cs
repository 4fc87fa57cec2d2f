using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;
using static SmartFactory.TestSupport.GrpcTesting;

namespace SmartFactory.Registry.Tests;

/// <summary>The registry over real gRPC (h2c) with real tokens, against its own PostgreSQL database.</summary>
public class RegistryGrpcTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task A_huge_value_quoted_in_an_error_still_comes_back_as_the_error()
    {
        // The description quotes the region the caller sent; 100,000 characters of it would not fit in the status headers.
        var error = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<RegisterEnterpriseRequest, Enterprise>("RegisterEnterprise", new()
        {
            CreditCode = CreditCodes.New(), Name = "企业", RegionCode = new string('9', 100_000), IndustryCode = "36",
            Size = EnterpriseSize.Large, Nature = EnterpriseNature.Private,
        }, registry.Province));
        var region = Assert.Single(error.FieldViolations, v => v.Field == "region_code" && v.Description.StartsWith("'999"));
        Assert.True(region.Description.Length <= 301, $"a description of {region.Description.Length} characters");
        Assert.True(error.Status.Detail.Length <= 2001);
    }

    [Fact]
    public async Task List_filters_with_control_characters_are_invalid_arguments_naming_each()
    {
        var enterprises = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<ListEnterprisesRequest, ListEnterprisesResponse>("ListEnterprises",
            new() { NameContains = "钢\0", RegionCode = "4201\u0001", CreditCode = "9142\u0000" }, registry.Province));
        Assert.Equal(["region_code", "name_contains", "credit_code"], enterprises.FieldViolations.Select(v => v.Field));
        var factories = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<ListFactoriesRequest, ListFactoriesResponse>("ListFactories",
            new() { NameContains = "厂\0", IndustryCode = "3\u00016" }, registry.Province));
        Assert.Equal(["industry_code", "name_contains"], factories.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public void The_reference_catalogs_are_read_once_per_process() => Assert.Same(
        registry.Host.Services.GetRequiredService<SmartFactory.Registry.Domain.ReferenceCatalogs>(),
        registry.Host.Services.GetRequiredService<SmartFactory.Registry.Domain.ReferenceCatalogs>());

    [Fact]
    public async Task Each_role_sees_exactly_its_scope()
    {
        var wuhanOwner = await registry.RegisterEnterprise(registry.Province, "420100");
        var wuhanPlant = await registry.RegisterFactory(registry.Province, wuhanOwner, "420100");
        var xiangyangPlant = await registry.RegisterFactory(registry.Province, wuhanOwner, "420600");
        var xiantaoOwner = await registry.RegisterEnterprise(registry.Province, "429004");
        var xiantaoPlant = await registry.RegisterFactory(registry.Province, xiantaoOwner, "429004");

        async Task<HashSet<string>> Visible(string token) =>
            (await registry.Call<ListFactoriesRequest, ListFactoriesResponse>("ListFactories", new() { PageSize = 100 }, token))
                .Factories.Select(f => f.Id).ToHashSet();

        var wuhan = await Visible(registry.City("420100"));
        Assert.Contains(wuhanPlant.Id, wuhan);
        Assert.DoesNotContain(xiangyangPlant.Id, wuhan);
        Assert.DoesNotContain(xiantaoPlant.Id, wuhan);
        Assert.All((await registry.Call<ListFactoriesRequest, ListFactoriesResponse>("ListFactories", new() { PageSize = 100 }, registry.City("420100"))).Factories,
            f => Assert.StartsWith("4201", f.RegionCode));

        // 潜江 shares 仙桃's 4290 prefix but not its factories.
        Assert.DoesNotContain(xiantaoPlant.Id, await Visible(registry.City("429005")));
        Assert.Contains(xiantaoPlant.Id, await Visible(registry.City("429004")));

        var own = await Visible(registry.EnterpriseToken(wuhanOwner.CreditCode));
        Assert.Equal([wuhanPlant.Id, xiangyangPlant.Id], own.Order());

        Assert.Superset(new HashSet<string> { wuhanPlant.Id, xiangyangPlant.Id, xiantaoPlant.Id }, await Visible(registry.Province));
        Assert.Superset(new HashSet<string> { wuhanPlant.Id, xiangyangPlant.Id, xiantaoPlant.Id }, await Visible(registry.Ministry));

        // Xiangyang sees the Wuhan enterprise because it has a plant there; Xiantao does not.
        await registry.Call<GetEnterpriseRequest, Enterprise>("GetEnterprise", new() { Id = wuhanOwner.Id }, registry.City("420600"));
        await AssertStatus(StatusCode.NotFound, () =>
            registry.Call<GetEnterpriseRequest, Enterprise>("GetEnterprise", new() { Id = wuhanOwner.Id }, registry.City("429004")));
    }

    [Fact]
    public async Task Out_of_scope_records_are_not_found_not_forbidden()
    {
        var owner = await registry.RegisterEnterprise(registry.Province, "420600");
        var plant = await registry.RegisterFactory(registry.Province, owner, "420600");
        var wuhan = registry.City("420100");

        var get = await AssertStatus(StatusCode.NotFound, () => registry.Call<GetFactoryRequest, Factory>("GetFactory", new() { Id = plant.Id }, wuhan));
        var missing = await AssertStatus(StatusCode.NotFound, () =>
            registry.Call<GetFactoryRequest, Factory>("GetFactory", new() { Id = Guid.NewGuid().ToString() }, wuhan));
        Assert.Equal(get.Status.Detail.Replace(plant.Id, "X"), missing.Status.Detail.Replace(missing.Status.Detail.Split(' ')[1], "X"));

        await AssertStatus(StatusCode.NotFound, () => registry.Call<UpdateFactoryRequest, Factory>("UpdateFactory",
            new() { Id = plant.Id, ExpectedVersion = 1, Name = "改名", Address = "地址", RegionCode = "420100", IndustryCode = "36" }, wuhan));
        var other = registry.EnterpriseToken(CreditCodes.New());
        await AssertStatus(StatusCode.NotFound, () => registry.Call<GetFactoryRequest, Factory>("GetFactory", new() { Id = plant.Id }, other));
        Assert.Equal(1, await registry.Database.ScalarAsync<int>($"select version from registry.factories where id = '{plant.Id}'"));
    }

    [Fact]
    public async Task Bad_input_names_every_field_and_writes_nothing()
    {
        var before = await Counts();
        var error = await AssertStatus(StatusCode.InvalidArgument, () => registry.Call<RegisterEnterpriseRequest, Enterprise>("RegisterEnterprise",
            new() { CreditCode = "91420100MA4KL3XK1A", Name = "", RegionCode = "420600", IndustryCode = "47" }, registry.City("420100")));
        Assert.Equal(["credit_code", "name", "region_code", "industry_code", "size", "nature"], error.FieldViolations.Select(v => v.Field));
        Assert.Equal("check character is wrong: expected 'L' after 91420100MA4KL3XK1", error.FieldViolations[0].Description);
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task A_second_enterprise_with_the_same_credit_code_already_exists_and_leaves_no_trace()
    {
        var first = await registry.RegisterEnterprise(registry.Province, "420100");
        var before = await Counts();
        var error = await AssertStatus(StatusCode.AlreadyExists, () => registry.RegisterEnterprise(registry.City("420100"), "420100", first.CreditCode));
        Assert.Contains(first.CreditCode, error.Status.Detail);
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task Every_change_leaves_an_audit_row_with_who_before_and_after()
    {
        var enterprise = await registry.RegisterEnterprise(registry.City("420100"), "420100");
        var updated = await registry.Call<UpdateEnterpriseRequest, Enterprise>("UpdateEnterprise", new()
        {
            Id = enterprise.Id, ExpectedVersion = 1, Name = "改名后的企业", RegionCode = "420100", IndustryCode = "26",
            Size = EnterpriseSize.Medium, Nature = EnterpriseNature.Collective,
        }, registry.EnterpriseToken(enterprise.CreditCode));
        Assert.Equal((2L, "改名后的企业", EnterpriseSize.Medium), (updated.Version, updated.Name, updated.Size));

        var rows = await registry.Database.ScalarAsync<string>($"""
            select string_agg(action || '|' || actor_role || '|' || actor_scope || '|' || coalesce(before->>'name', '-') || '|' || (after->>'name'), ';' order by id)
            from registry.audit_log where entity_id = '{enterprise.Id}'
            """);
        Assert.Equal($"enterprise.registered|city|420100|-|{enterprise.Name};enterprise.updated|enterprise|{enterprise.CreditCode}|{enterprise.Name}|改名后的企业", rows);
    }

    [Fact]
    public async Task A_stale_version_is_aborted_and_changes_nothing()
    {
        var owner = await registry.RegisterEnterprise(registry.Province, "420100");
        var plant = await registry.RegisterFactory(registry.Province, owner, "420100");
        UpdateFactoryRequest Rename(string name) => new() { Id = plant.Id, ExpectedVersion = 1, Name = name, Address = "新地址", RegionCode = "420100", IndustryCode = "36" };
        await registry.Call<UpdateFactoryRequest, Factory>("UpdateFactory", Rename("第一次改名"), registry.City("420100"));
        await AssertStatus(StatusCode.Aborted, () => registry.Call<UpdateFactoryRequest, Factory>("UpdateFactory", Rename("第二次改名"), registry.Province));
        var now = await registry.Call<GetFactoryRequest, Factory>("GetFactory", new() { Id = plant.Id }, registry.Ministry);
        Assert.Equal(("第一次改名", 2L), (now.Name, now.Version));
    }

    [Fact]
    public async Task The_ministry_reads_everything_but_writes_nothing()
    {
        var error = await AssertStatus(StatusCode.PermissionDenied, () => registry.RegisterEnterprise(registry.Ministry, "420100"));
        Assert.Contains("the ministry reads the registry", error.Status.Detail);
    }

    [Fact]
    public async Task Pages_and_streams_cover_the_scope_once()
    {
        var owner = await registry.RegisterEnterprise(registry.Province, "421300");
        var plants = new List<string>();
        for (var i = 0; i < 5; i++) plants.Add((await registry.RegisterFactory(registry.Province, owner, "421300", $"随州工厂{i}")).Id);
        var suizhou = registry.City("421300");

        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await registry.Call<ListFactoriesRequest, ListFactoriesResponse>("ListFactories", new() { PageSize = 2, PageToken = token }, suizhou);
            Assert.Equal(5, page.TotalSize);
            seen.AddRange(page.Factories.Select(f => f.Id));
            token = page.NextPageToken;
        } while (token != "");
        Assert.Equal(plants.Order(), seen.Order());

        var streamed = new List<string>();
        await foreach (var factory in registry.StreamFactories(new(), suizhou)) streamed.Add(factory.Id);
        Assert.Equal(seen, streamed);
    }

    [Fact]
    public async Task Reference_data_lists_hubei_and_the_industrial_divisions_B_C_D_003_附1()
    {
        var regions = await registry.Call<ListRegionsRequest, ListRegionsResponse>("ListRegions", new(), registry.City("420100"));
        Assert.Equal(18, regions.Regions.Count);
        Assert.Contains(regions.Regions, r => r is { Code: "429021", Name: "神农架林区", ParentCode: "420000" });
        var industries = await registry.Call<ListIndustriesRequest, ListIndustriesResponse>("ListIndustries", new(), registry.Ministry);
        // Industrial enterprises (工业企业): mining 06-12, manufacturing 13-43, utilities 44-46 (GB/T 4754-2017).
        Assert.Equal(Enumerable.Range(6, 41).Select(i => i.ToString("00")), industries.Industries.Select(i => i.Code));
        Assert.Equal(["B", "C", "D"], industries.Industries.Select(i => i.Section).Distinct());
        Assert.Contains(industries.Industries, i => i is { Code: "44", Name: "电力、热力生产和供应业", Section: "D" });
    }

    public static TheoryData<string, string> RefusedTokens => new()
    {
        { "wrong issuer", "issuer" }, { "expired", "expired" }, { "wrong audience", "audience" }, { "foreign key", "key" }, { "none", "none" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Tokens_that_fail_validation_are_unauthenticated(string _, string fault)
    {
        var token = fault switch
        {
            "issuer" => registry.Issuer.Token("province", "420000", options: new TokenOptions(Issuer: "http://127.0.0.1:1/realms/other")),
            "expired" => registry.Issuer.Token("province", "420000", options: new TokenOptions(Lifetime: TimeSpan.FromMinutes(-5))),
            "audience" => registry.Issuer.Token("province", "420000", options: new TokenOptions(Audience: "account")),
            "key" => registry.Issuer.Token("province", "420000", options: new TokenOptions(ForeignKey: true)),
            _ => null,
        };
        await AssertStatus(StatusCode.Unauthenticated, () => registry.Call<ListFactoriesRequest, ListFactoriesResponse>("ListFactories", new(), token));
    }

    [Fact]
    public async Task A_valid_token_without_a_platform_role_is_denied()
    {
        var error = await AssertStatus(StatusCode.PermissionDenied, () => registry.Call<ListFactoriesRequest, ListFactoriesResponse>(
            "ListFactories", new(), registry.Issuer.Token(Array.Empty<string>(), "420100")));
        Assert.Contains("none of the roles", error.Status.Detail);
    }

    private Task<(int Enterprises, int Factories, int Audit)> Counts() => Task.WhenAll(
            registry.Database.ScalarAsync<int>("select count(*) from registry.enterprises"),
            registry.Database.ScalarAsync<int>("select count(*) from registry.factories"),
            registry.Database.ScalarAsync<int>("select count(*) from registry.audit_log"))
        .ContinueWith(t => (t.Result[0], t.Result[1], t.Result[2]));

    [Fact]
    public async Task A_call_whose_deadline_passes_cancels_its_query_in_the_database()
    {
        var enterprise = await registry.RegisterEnterprise(registry.Province, "420100");
        // The test holds the enterprise's row, so the service's update waits for it in PostgreSQL.
        await using var holder = new Npgsql.NpgsqlConnection(registry.Database.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand($"select 1 from registry.enterprises where id = '{enterprise.Id}' for update", holder, transaction))
            await command.ExecuteNonQueryAsync();

        using var channel = registry.Host.GrpcChannel();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var call = channel.CreateCallInvoker().Unary<UpdateEnterpriseRequest, Enterprise>(Find("UpdateEnterprise", RegistryService.Descriptor), new()
        {
            Id = enterprise.Id, ExpectedVersion = 1, Name = "等锁的企业", RegionCode = "420100", IndustryCode = "36",
            Size = EnterpriseSize.Large, Nature = EnterpriseNature.Private,
        }, registry.Province, deadline: TimeSpan.FromSeconds(1));
        Assert.True(await Eventually(async () => await UpdatesWaitingForALock() == 1), "the service's update never waited for the row");

        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.True(error.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled, $"answered {error.StatusCode}");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"the call took {started.Elapsed}");
        // The row is still held: the update is gone only if the call's token cancelled it in PostgreSQL.
        Assert.True(await Eventually(async () => await UpdatesWaitingForALock() == 0), "the service's update still waits after its deadline");

        await transaction.RollbackAsync();
        Assert.Equal(1, await registry.Database.ScalarAsync<int>($"select version from registry.enterprises where id = '{enterprise.Id}'"));
        Assert.Equal(0, await registry.Database.ScalarAsync<int>(
            $"select count(*) from registry.audit_log where entity_id = '{enterprise.Id}' and action = 'enterprise.updated'"));

        Task<long> UpdatesWaitingForALock() => registry.Database.ScalarAsync<long>("""
            select count(*) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock' and query like 'update enterprises %'
            """);
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return false;
    }
}
