namespace SmartFactory.TestSupport;

/// <summary>
/// Fresh unified social credit codes (GB 32100-2015) for tests, computed here independently of the registry's own
/// check so that the two agree only if both follow the standard.
/// </summary>
public static class CreditCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>A code of an enterprise (registration authority 9, type 1) registered in <paramref name="region"/>.</summary>
    public static string New(string region = "420100")
    {
        var body = "91" + region + string.Concat(Enumerable.Range(0, 9).Select(_ => Alphabet[Random.Shared.Next(10)]));
        var sum = body.Select((c, i) => Alphabet.IndexOf(c) * Weights[i]).Sum();
        return body + Alphabet[(31 - sum % 31) % 31];
    }
}
