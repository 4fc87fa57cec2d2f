using System.Collections;

namespace SmartFactory.Grpc;

/// <summary>gRPC metadata: keys are lower-cased ASCII; keys ending in "-bin" carry bytes (base64 on the wire).</summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    private readonly List<Entry> entries = [];

    public int Count => entries.Count;

    public void Add(string key, string value)
    {
        key = CheckKey(key, binary: false);
        if (value.Any(c => c is < ' ' or > '~'))
            throw new ArgumentException($"Metadata value for '{key}' must be printable ASCII; use a -bin key for other data.", nameof(value));
        entries.Add(new(key, value, null));
    }

    public void Add(string key, byte[] value) => entries.Add(new(CheckKey(key, binary: true), null, value));

    /// <summary>The last value added under the key (lookups are case-insensitive).</summary>
    public string? GetValue(string key) => Find(key)?.Value;

    public byte[]? GetBytes(string key) => Find(key)?.Bytes;

    public IEnumerator<Entry> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public sealed record Entry(string Key, string? Value, byte[]? Bytes)
    {
        /// <summary>The value as it travels in an HTTP/2 header: binary values are unpadded base64.</summary>
        internal string WireValue => Bytes is null ? Value! : Convert.ToBase64String(Bytes).TrimEnd('=');
    }

    private Entry? Find(string key) => entries.LastOrDefault(e => e.Key.Equals(key, StringComparison.OrdinalIgnoreCase));

    private static string CheckKey(string key, bool binary)
    {
        key = key.ToLowerInvariant();
        if (key.Length == 0 || !key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            throw new ArgumentException($"Invalid metadata key '{key}'.", nameof(key));
        if (key.EndsWith("-bin", StringComparison.Ordinal) != binary)
            throw new ArgumentException(binary ? $"Binary metadata key '{key}' must end in -bin." : $"Key '{key}' ends in -bin: add a byte[] value.", nameof(key));
        return key;
    }

    /// <summary>Adds one received header unless it is an HTTP or reserved gRPC header (pseudo, content-type, te, grpc-*, ...).</summary>
    internal void AddFromWire(string key, IEnumerable<string> values)
    {
        key = key.ToLowerInvariant();
        if (key.StartsWith(':') || key.StartsWith("grpc-", StringComparison.Ordinal) ||
            key is "content-type" or "content-length" or "te" or "host" or "date" or "server" or "accept-encoding")
            return;
        var binary = key.EndsWith("-bin", StringComparison.Ordinal);
        foreach (var value in values)
        {
            if (!binary) entries.Add(new(key, value, null));
            // Binary values may arrive comma-joined and unpadded; undecodable ones are dropped.
            else foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                if (GrpcProtocol.TryFromBase64(part, out var bytes)) entries.Add(new(key, null, bytes));
        }
    }
}
