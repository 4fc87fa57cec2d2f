namespace SmartFactory.Registry.Domain;

/// <summary>
/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from an alphabet without
/// I, O, Z, S and V; characters 3-8 are the registering authority's region code; the last is a check character
/// computed from the first 17 with fixed weights, modulo 31.
/// </summary>
public static class CreditCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Why <paramref name="code"/> is not a valid credit code, or null when it is.</summary>
    public static string? Check(string code)
    {
        if (code.Length != 18) return $"must be 18 characters (got {code.Length})";
        var bad = code.Where(c => !Alphabet.Contains(c)).Distinct().ToList();
        if (bad.Count > 0)
            return $"may use only digits and the capital letters {Alphabet[10..]} (found {string.Join(", ", bad.Select(c => $"'{c}'"))})";
        if (!code[2..8].All(char.IsAsciiDigit)) return "characters 3-8 must be the registering region's 6-digit code";
        var expected = CheckCharacter(code[..17]);
        return code[17] == expected ? null : $"check character is wrong: expected '{expected}' after {code[..17]}";
    }

    public static char CheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        var check = 31 - sum % 31;
        return Alphabet[check == 31 ? 0 : check];
    }
}
