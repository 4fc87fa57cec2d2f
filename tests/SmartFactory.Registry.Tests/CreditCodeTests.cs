using SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Tests;

public class CreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91110000600037341L")]
    [InlineData("91420100MA4KL3XK1L")]
    public void Accepts_codes_whose_check_character_is_right(string code) => Assert.Null(CreditCode.Check(code));

    [Fact]
    public void Check_character_31_becomes_0()
    {
        // Search a body whose weighted sum is a multiple of 31: its check character must be '0', never index 31.
        var body = Enumerable.Range(0, 10_000).Select(i => $"91420100{i:D9}").First(b => CheckSum(b) % 31 == 0);
        Assert.Equal('0', CreditCode.CheckCharacter(body));
    }

    [Theory]
    [InlineData("91350100M000100Y4", "must be 18 characters (got 17)")]
    [InlineData("91350100M000100Y44", "check character is wrong: expected '3' after 91350100M000100Y4")]
    [InlineData("9135010OM000100Y43", "may use only digits and the capital letters ABCDEFGHJKLMNPQRTUWXY (found 'O')")]
    [InlineData("91350100MI0S100Y43", "may use only digits and the capital letters ABCDEFGHJKLMNPQRTUWXY (found 'I', 'S')")]
    [InlineData("913501A0M000100Y43", "characters 3-8 must be the registering region's 6-digit code")]
    public void Refuses_with_the_reason(string code, string reason) => Assert.Equal(reason, CreditCode.Check(code));

    private static int CheckSum(string body)
    {
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        return body.Select((c, i) => CreditCode.Alphabet.IndexOf(c) * weights[i]).Sum();
    }
}
