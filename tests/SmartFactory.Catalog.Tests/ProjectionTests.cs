using SmartFactory.Catalog.Domain;
using SmartFactory.Kernel;

namespace SmartFactory.Catalog.Tests;

/// <summary>The projection's rules, pure: a feed change in, an entry or a list out.</summary>
public sealed class ProjectionTests
{
    private static readonly ReferenceNames Names = new(
        new Dictionary<string, (string, string?)> { ["420000"] = ("湖北省", null), ["420100"] = ("武汉市", "420000"), ["420102"] = ("江岸区", "420100"),
            ["429004"] = ("仙桃市", "420000") },
        new Dictionary<string, string> { ["36"] = "汽车制造业", ["31"] = "黑色金属冶炼和压延加工业" });

    private static readonly Guid FactoryId = Guid.NewGuid(), EnterpriseId = Guid.NewGuid(), ApplicationId = Guid.NewGuid();

    private static RecognitionChange Recognition(RecognitionStatus status, Level level = Level.Basic, string? endReason = null) =>
        new(Guid.NewGuid(), FactoryId, EnterpriseId, level, 2027, ApplicationId, status, new DateOnly(2027, 3, 20), new DateOnly(2030, 3, 20), null,
            status is RecognitionStatus.Active or RecognitionStatus.PendingPublicity ? null : new DateOnly(2028, 5, 1), endReason, null);

    private static CatalogEntry Entry(RecognitionChange r, string region = "420102", CampaignChange? campaign = null) => Projection.Entry(r,
        new FactoryRecord(FactoryId, EnterpriseId, "武汉钢铁智能工厂", region, "31", ["旧工厂"]), new NamedRecord(EnterpriseId, "武钢有限公司", ["武汉钢铁公司"]),
        campaign, Names, new DateOnly(2027, 3, 20));

    [Fact]
    public void Feed_payload_is_read_for_public_fields_only_003_第十三条()
    {
        // The registry's JSON of a factory: its address is there, and never read into the catalog.
        var change = new FeedChange(7, "factory", "factory.registered", """
            {"id":"6f1c8a6e-8d0e-4a53-9d6e-3f1f0b9f6a11","enterpriseId":"0f1c8a6e-8d0e-4a53-9d6e-3f1f0b9f6a11","enterpriseName":"某公司",
             "name":"某智能工厂","address":"某路1号 电话13800138000","regionCode":"420100","industryCode":"36","version":1}
            """, DateTime.UtcNow);
        var factory = change.Payload<FactoryChange>();
        Assert.Equal(("某智能工厂", "420100", "36"), (factory.Name, factory.RegionCode, factory.IndustryCode));
        Assert.DoesNotContain(typeof(FactoryChange).GetProperties(), p => p.Name is "Address" or "CreditCode");
        Assert.DoesNotContain(typeof(CatalogEntry).GetProperties(), p => p.Name is "Address" or "CreditCode" or "Revenue" or "Size");

        var recognition = new FeedChange(8, "recognition", "recognition.took_effect", """
            {"id":"1f1c8a6e-8d0e-4a53-9d6e-3f1f0b9f6a11","factoryId":"6f1c8a6e-8d0e-4a53-9d6e-3f1f0b9f6a11","enterpriseId":"0f1c8a6e-8d0e-4a53-9d6e-3f1f0b9f6a11",
             "level":"Basic","year":2027,"applicationId":"2f1c8a6e-8d0e-4a53-9d6e-3f1f0b9f6a11","status":"Active","effectiveOn":"2027-03-20",
             "expiresOn":"2030-03-20","cultivationEndsOn":null,"endedOn":null,"endReason":null,"banUntil":null,"history":[],"version":2}
            """, DateTime.UtcNow).Payload<RecognitionChange>();
        Assert.Equal((Level.Basic, RecognitionStatus.Active, new DateOnly(2027, 3, 20)), (recognition.Level, recognition.Status, recognition.EffectiveOn));
    }

    [Fact]
    public void An_entry_is_published_when_it_takes_effect_or_is_selected_never_while_pending_publicity_003_第十三条_004_六()
    {
        Assert.True(Projection.Publishes(Recognition(RecognitionStatus.Active)));
        Assert.True(Projection.Publishes(Recognition(RecognitionStatus.Cultivating, Level.Leading)));
        Assert.False(Projection.Publishes(Recognition(RecognitionStatus.PendingPublicity)));
        // Cancelled during publicity by an upheld objection: never announced.
        Assert.False(Projection.Publishes(Recognition(RecognitionStatus.Cancelled, endReason: "objection upheld during publicity (公示异议成立): x")));
    }

    [Fact]
    public void The_recognizing_authority_is_the_round_s_city_the_province_or_MIIT_004_四()
    {
        var basic = Entry(Recognition(RecognitionStatus.Active), campaign: new CampaignChange(Guid.NewGuid(), Level.Basic, 2027, "420100"));
        Assert.Equal(("420100", "武汉市", "420100", "武汉市", "江岸区"), (basic.AuthorityCode, basic.AuthorityName, basic.CityCode, basic.CityName, basic.RegionName));
        var advanced = Entry(Recognition(RecognitionStatus.Active, Level.Advanced), campaign: new CampaignChange(Guid.NewGuid(), Level.Advanced, 2027, "420000"));
        Assert.Equal(("420000", "湖北省"), (advanced.AuthorityCode, advanced.AuthorityName));
        var excellent = Entry(Recognition(RecognitionStatus.Active, Level.Excellent));
        Assert.Equal(("000000", "工业和信息化部"), (excellent.AuthorityCode, excellent.AuthorityName));
        // A directly administered city is its own city (仙桃).
        Assert.Equal("429004", Entry(Recognition(RecognitionStatus.Active), region: "429004").CityCode);
    }

    [Fact]
    public void Ended_entries_are_tombstones_with_the_public_reason_never_the_authority_s_words_003_第二十条_第二十一条()
    {
        var removed = Entry(Recognition(RecognitionStatus.Removed, endReason: "重大安全事故：3月5日车间爆炸，张三负责"));
        Assert.True(removed.Tombstone);
        Assert.Equal("移出智能工厂库 (removed from the library, 003 第二十条)", removed.EndReason);
        Assert.DoesNotContain("张三", removed.EndReason);
        Assert.Contains("数据造假", Entry(Recognition(RecognitionStatus.Revoked, endReason: "data fraud confirmed (数据造假): 举报人李四")).EndReason);
        Assert.DoesNotContain("李四", Entry(Recognition(RecognitionStatus.Revoked, endReason: "data fraud confirmed (数据造假): 举报人李四")).EndReason);
        Assert.Equal("有效期满 (validity of 3 years ended, 003 第十五条)", Entry(Recognition(RecognitionStatus.Expired)).EndReason);
        Assert.Contains("004 五", Projection.PublicEndReason(RecognitionStatus.Cancelled, "re-examination failed (复核未通过): 现场核查不合格"));
        Assert.False(Entry(Recognition(RecognitionStatus.Active)).Tombstone);
        Assert.Equal("", Entry(Recognition(RecognitionStatus.Active)).EndReason);
    }

    [Fact]
    public void A_rename_keeps_the_old_name_as_a_former_name_003_第十八条()
    {
        Assert.Equal(["甲工厂"], Projection.FormerNames([], "甲工厂", "乙工厂"));
        Assert.Equal(["甲工厂", "乙工厂"], Projection.FormerNames(["甲工厂"], "乙工厂", "丙工厂"));
        // Renamed back: the current name is not also a former one.
        Assert.Equal(["乙工厂", "丙工厂"], Projection.FormerNames(["甲工厂", "乙工厂"], "丙工厂", "甲工厂"));
        Assert.DoesNotContain("甲工厂", Projection.FormerNames(["甲工厂", "乙工厂"], "丙工厂", "甲工厂"));
        Assert.Same(Array.Empty<string>(), Projection.FormerNames(Array.Empty<string>(), "甲", "甲"));

        var entry = Entry(Recognition(RecognitionStatus.Active));
        var renamed = Projection.Renamed(entry, new FactoryRecord(FactoryId, EnterpriseId, "新名工厂", "420102", "31", ["旧工厂", "武汉钢铁智能工厂"]),
            new NamedRecord(EnterpriseId, "武钢有限公司", ["武汉钢铁公司"]), Names);
        Assert.Equal("新名工厂", renamed.FactoryName);
        Assert.Equal(["旧工厂", "武汉钢铁智能工厂", "武汉钢铁公司"], renamed.FormerNames);
        Assert.Contains("武汉钢铁智能工厂", renamed.SearchText);
        Assert.Equal((entry.AuthorityCode, entry.PublishedOn), (renamed.AuthorityCode, renamed.PublishedOn));
    }

    [Fact]
    public void Lists_are_named_as_announced_per_authority_level_year_and_batch_003_第十三条()
    {
        Assert.Equal("2027年武汉市基础级智能工厂名单", Projection.ListName(2027, "武汉市", Level.Basic, 1));
        Assert.Equal("2027年湖北省先进级智能工厂名单", Projection.ListName(2027, "湖北省", Level.Advanced, 1));
        Assert.Equal("2027年武汉市基础级智能工厂名单（第2批）", Projection.ListName(2027, "武汉市", Level.Basic, 2));
        // Rebuilt lists keep their ids: the id is made from what identifies the list.
        Assert.Equal(Projection.ListId("420100", Level.Basic, 2027, 1), Projection.ListId("420100", Level.Basic, 2027, 1));
        Assert.NotEqual(Projection.ListId("420100", Level.Basic, 2027, 1), Projection.ListId("420100", Level.Basic, 2027, 2));
    }

    [Fact]
    public void Search_queries_are_validated_naming_every_wrong_field_at_once()
    {
        var error = Assert.Throws<ValidationException>(() => SearchQuery.Parse("钢", 9, "42", "x", -1, "deleted", "1", "price", 500, "garbage"));
        Assert.Equal(["level", "region", "industry", "year", "status", "authority", "sort", "page_size", "page_token"], error.Violations.Select(v => v.Field));

        var query = SearchQuery.Parse(" 武汉  钢 ", 1, "420100", "31", 2027, "revoked", "420100", "name", 10, null);
        Assert.Equal(["武汉", "钢"], query.Terms);
        Assert.Equal(("4201", SearchSort.Name, RecognitionStatus.Revoked), (query.RegionPrefix, query.Sort, query.Status));
        Assert.Equal("42", SearchQuery.Parse(null, 0, "420000", null, 0, null, null, null, 0, null).RegionPrefix);
        Assert.Equal("429004", SearchQuery.Parse(null, 0, "429004", null, 0, null, null, null, 0, null).RegionPrefix);
        Assert.Equal(SearchSort.Relevance, SearchQuery.Parse("钢", 0, null, null, 0, null, null, null, 0, null).Sort);
        Assert.Equal(SearchSort.Date, SearchQuery.Parse("", 0, null, null, 0, null, null, null, 0, null).Sort);
    }

    [Fact]
    public void Matches_are_highlighted_and_the_rest_is_escaped()
    {
        Assert.Equal("<em>武汉钢</em>铁&lt;智能&gt;<em>工厂</em>", Highlight.Mark("武汉钢铁<智能>工厂", ["武汉", "钢", "工厂"]));
        Assert.Equal("<em>ABC</em> Motor", Highlight.Mark("ABC Motor", ["abc"]));
        Assert.Equal("<em>武汉钢</em>", Highlight.Mark("武汉钢", ["武汉", "汉钢"]).Replace("</em><em>", ""));
    }
}
