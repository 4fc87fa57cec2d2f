using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Google.Protobuf;

namespace SmartFactory.Grpc;

/// <summary>Wire details shared by server and client (PROTOCOL-HTTP2.md): framing, grpc-timeout, grpc-message.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";

    public static bool IsGrpcContentType(string? contentType)
    {
        var media = (contentType ?? "").Split(';')[0].Trim();
        return media.Equals(ContentType, StringComparison.OrdinalIgnoreCase) ||
               media.Equals(ContentType + "+proto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A length-prefixed message: flag byte 0 (uncompressed), 4-byte big-endian length, payload.</summary>
    public static byte[] Frame(IMessage message, int maxSize)
    {
        var size = message.CalculateSize();
        if (size > maxSize)
            throw new RpcException(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size ({size} > {maxSize}).");
        var frame = new byte[5 + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)size);
        message.WriteTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>Reads the next message's payload, or null at the end of the stream.</summary>
    public static async Task<byte[]?> ReadMessageAsync(Stream stream, int maxSize, CancellationToken cancellationToken)
    {
        var header = new byte[5];
        var read = await stream.ReadAtLeastAsync(header, 5, throwOnEndOfStream: false, cancellationToken);
        if (read == 0) return null;
        if (read < 5) throw new RpcException(StatusCode.Internal, "Incomplete message header.");
        if (header[0] == 1) throw new RpcException(StatusCode.Unimplemented, "compression is not supported");
        if (header[0] != 0) throw new RpcException(StatusCode.Internal, $"Invalid message flag {header[0]}.");
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > maxSize)
            throw new RpcException(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({length} > {maxSize}).");
        var payload = new byte[length];
        read = await stream.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, cancellationToken);
        return read == payload.Length ? payload : throw new RpcException(StatusCode.Internal, "Incomplete message.");
    }

    public static IMessage Parse(MessageParser parser, byte[] payload)
    {
        try { return parser.ParseFrom(payload); }
        catch (InvalidProtocolBufferException) { throw new RpcException(StatusCode.Internal, "Failed to deserialize message."); }
    }

    private static readonly (char Unit, long Ticks)[] TimeoutUnits =
        [('u', 10), ('m', TimeSpan.TicksPerMillisecond), ('S', TimeSpan.TicksPerSecond), ('M', TimeSpan.TicksPerMinute), ('H', TimeSpan.TicksPerHour)];

    /// <summary>grpc-timeout: 1-8 digits and a unit (H M S m u n).</summary>
    public static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is not { Length: >= 2 and <= 9 } ||
            !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            return false;
        var unit = value[^1];
        if (unit == 'n') { timeout = TimeSpan.FromTicks(amount / 100); return true; }
        var ticks = TimeoutUnits.FirstOrDefault(u => u.Unit == unit).Ticks;
        timeout = TimeSpan.FromTicks(amount * ticks);
        return ticks != 0;
    }

    /// <summary>The finest unit whose value fits the 8 digits, rounded up so the server never sees a shorter deadline.</summary>
    public static string FormatTimeout(TimeSpan timeout)
    {
        var ticks = Math.Max(timeout.Ticks, 0);
        foreach (var (unit, perUnit) in TimeoutUnits)
        {
            var amount = (ticks + perUnit - 1) / perUnit;
            if (amount < 100_000_000) return amount.ToString(CultureInfo.InvariantCulture) + unit;
        }
        return "99999999H";
    }

    /// <summary>grpc-message: UTF-8, with bytes outside 0x20-0x7E and '%' as %XX.</summary>
    public static string PercentEncode(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
            builder.Append(b is >= 0x20 and <= 0x7E and not (byte)'%' ? (char)b : $"%{b:X2}");
        return builder.ToString();
    }

    /// <summary>Lenient, as the spec asks: a '%' not followed by two hex digits stays as it is.</summary>
    public static string PercentDecode(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length &&
                byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Base64 that accepts the unpadded form gRPC peers send.</summary>
    public static bool TryFromBase64(string value, out byte[] bytes)
    {
        var padded = value.PadRight(value.Length + (4 - value.Length % 4) % 4, '=');
        bytes = new byte[padded.Length / 4 * 3];
        var ok = Convert.TryFromBase64String(padded, bytes, out var written);
        bytes = ok ? bytes[..written] : [];
        return ok;
    }
}
