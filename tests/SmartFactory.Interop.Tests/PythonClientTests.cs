namespace SmartFactory.Interop.Tests;

/// <summary>grpcio's client (python/client.py) against our server.</summary>
public sealed class PythonClientTests(OurServerFixture server) : IClassFixture<OurServerFixture>
{
    private Task<System.Text.Json.JsonElement> Run(string testCase, string arg = "") => Python.RunClientAsync(server.Port, testCase, arg);

    [Fact]
    public async Task Unary_echo()
    {
        var result = await Run("echo", "hello grpcio");
        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.Equal("hello grpcio", result.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Server_streaming_delivers_all_messages_in_order()
    {
        var result = await Run("stream", "1000");
        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.Equal(1000, result.GetProperty("count").GetInt32());
        Assert.True(result.GetProperty("in_order").GetBoolean());
    }

    [Fact]
    public async Task Error_carries_unicode_message_and_bad_request_details()
    {
        var result = await Run("fail");
        Assert.Equal("INVALID_ARGUMENT", result.GetProperty("code").GetString());
        Assert.Equal(InteropService.FailMessage, result.GetProperty("message").GetString());
        var details = result.GetProperty("details");
        Assert.Equal(3, details.GetProperty("code").GetInt32());
        Assert.Equal(InteropService.FailMessage, details.GetProperty("message").GetString());
        Assert.Equal(["type.googleapis.com/google.rpc.BadRequest"], details.GetProperty("type_urls").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            [["name", "must not be empty"], ["quantity", "must be positive"]],
            details.GetProperty("violations").EnumerateArray().Select(v => v.EnumerateArray().Select(s => s.GetString()!).ToArray()));
    }

    [Fact]
    public async Task Deadline_is_exceeded_and_cancels_the_service()
    {
        var key = Guid.NewGuid().ToString();
        var result = await Run("deadline", key);
        Assert.Equal("DEADLINE_EXCEEDED", result.GetProperty("code").GetString());
        Assert.InRange(result.GetProperty("elapsed").GetDouble(), 0.25, 4.0); // well short of the 5 s sleep
        await server.Probe.SleepCancelled(key).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task One_mebibyte_message_round_trips()
    {
        var result = await Run("large", (1024 * 1024).ToString());
        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.Equal(1024 * 1024, result.GetProperty("size").GetInt32());
        Assert.True(result.GetProperty("same").GetBoolean());
    }

    [Fact]
    public async Task Hundred_concurrent_calls_succeed()
    {
        var result = await Run("concurrent", "100");
        Assert.Equal(100, result.GetProperty("matching").GetInt32());
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        var result = await Run("unimplemented");
        Assert.Equal("UNIMPLEMENTED", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Metadata_round_trips_including_binary()
    {
        var result = await Run("metadata");
        var entries = result.GetProperty("entries").EnumerateArray()
            .ToDictionary(e => e.GetProperty("key").GetString()!, e => (Value: e.GetProperty("value").GetString(), Binary: e.GetProperty("binary").GetString()));
        Assert.Equal("abc-123", entries["x-trace-id"].Value);
        Assert.Equal(Convert.ToBase64String([0, 1, 2, 254, 255]), entries["x-blob-bin"].Binary);
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("grpc-") || k.StartsWith(':') || k is "te" or "content-type");
        var trailers = result.GetProperty("trailers").EnumerateArray().ToDictionary(t => t[0].GetString()!, t => t[1].GetString());
        Assert.Equal("smartfactory", trailers["x-served-by"]);
        Assert.Equal(Convert.ToBase64String([9, 8, 7]), trailers["x-echo-bin"]);
    }

    [Fact]
    public async Task Message_over_four_mebibytes_is_resource_exhausted()
    {
        var result = await Run("too_large", (5 * 1024 * 1024).ToString());
        Assert.Equal("RESOURCE_EXHAUSTED", result.GetProperty("code").GetString());
    }
}
