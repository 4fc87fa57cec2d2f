using System.Text;

namespace SmartFactory.Kernel;

/// <summary>Every list's paging: size 1-100 (default 20) and an opaque token that continues where the last page stopped.</summary>
public readonly record struct Page(int Offset, int Size)
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;

    public static Page Parse(int pageSize, string? pageToken, Violations violations)
    {
        if (pageSize < 0 || pageSize > MaxSize) violations.Add("page_size", $"must be between 1 and {MaxSize}");
        var offset = 0;
        if (!string.IsNullOrEmpty(pageToken) && !TryDecode(pageToken, out offset))
            violations.Add("page_token", "is not a token this service issued; start again without one");
        return new Page(offset, pageSize == 0 ? DefaultSize : pageSize);
    }

    public string NextToken(int total) =>
        Offset + Size < total ? Convert.ToBase64String(Encoding.ASCII.GetBytes($"offset:{Offset + Size}")) : "";

    private static bool TryDecode(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            return text.StartsWith("offset:", StringComparison.Ordinal) && int.TryParse(text[7..], out offset) && offset >= 0;
        }
        catch (FormatException) { return false; }
    }
}
