namespace SmartFactory.Deployment.Tests;

/// <summary>The shape the other tests rely on when they read values.yaml, skaffold.yaml and Chart.yaml.</summary>
public class YamlTests
{
    [Fact]
    public void Scalars_stay_text_and_only_an_unquoted_empty_or_null_is_null()
    {
        var map = Yaml.Map(Yaml.Parse("""
            b: true
            n: 5100
            quoted: ""
            empty:
            tilde: ~
            text: |
              CREATE DATABASE a;
            list: [a, "b"]
            nested: {k: v}
            """));
        Assert.Equal(["b", "n", "quoted", "empty", "tilde", "text", "list", "nested"], map.Keys);
        Assert.Equal("true", map["b"]);
        Assert.Equal("5100", map["n"]);
        Assert.Equal("", map["quoted"]);
        Assert.Null(map["empty"]);
        Assert.Null(map["tilde"]);
        Assert.Equal("CREATE DATABASE a;\n", map["text"]);
        Assert.Equal(["a", "b"], Yaml.List(map["list"]));
        Assert.Equal("v", Yaml.String(map, "nested.k"));
    }

    [Fact]
    public void A_duplicate_key_fails_instead_of_hiding_a_value()
    {
        Assert.ThrowsAny<Exception>(() => Yaml.Parse("a: 1\na: 2\n"));
    }
}
