using Certometer.Analytics.Pseudonymity;

namespace Certometer.Analytics.UnitTests;

public sealed class PseudonymsTests
{
    private const string Key = "analytics-pseudonym-key-0123456789abcdef";
    private static readonly Guid Subject = Guid.Parse("6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b");

    [Fact]
    public void The_same_subject_always_gets_the_same_pseudonym_under_one_key()
    {
        new Pseudonyms(Key).Of(Subject).ShouldBe(new Pseudonyms(Key).Of(Subject));
    }

    [Fact]
    public void A_pseudonym_is_64_hex_characters_that_contain_nothing_of_the_subject_id()
    {
        var pseudonym = new Pseudonyms(Key).Of(Subject);

        pseudonym.Length.ShouldBe(64);
        pseudonym.ShouldAllBe(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
        pseudonym.ShouldNotContain(Subject.ToString("N")[..8]);
    }

    [Fact]
    public void Another_key_or_another_subject_gives_another_pseudonym()
    {
        var pseudonym = new Pseudonyms(Key).Of(Subject);

        new Pseudonyms(Key + "x").Of(Subject).ShouldNotBe(pseudonym);
        new Pseudonyms(Key).Of(Guid.NewGuid()).ShouldNotBe(pseudonym);
    }
}
