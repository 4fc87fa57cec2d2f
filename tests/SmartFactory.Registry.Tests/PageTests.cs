using SmartFactory.Kernel;
using SmartFactory.Registry.Grpc;
using SmartFactory.ServiceDefaults;

namespace SmartFactory.Registry.Tests;

public class PageTests
{
    [Fact]
    public void Pages_continue_where_the_last_stopped_and_end_with_no_token()
    {
        var violations = new Violations();
        var first = Page.Parse(0, "", violations);
        Assert.Equal(new Page(0, 20), first);
        var second = Page.Parse(20, first.NextToken(45), violations);
        Assert.Equal(new Page(20, 20), second);
        var third = Page.Parse(20, second.NextToken(45), violations);
        Assert.Equal("", third.NextToken(45));
        Assert.Empty(violations.Items);
    }

    [Fact]
    public void Bad_size_and_foreign_tokens_are_wrong_fields()
    {
        var violations = new Violations();
        Page.Parse(101, "not-a-token", violations);
        Assert.Equal(["page_size", "page_token"], violations.Items.Select(v => v.Field));
    }
}
