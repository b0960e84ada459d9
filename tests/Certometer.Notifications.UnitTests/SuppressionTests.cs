using Certometer.Notifications.Marketing;
using Microsoft.Extensions.Options;

namespace Certometer.Notifications.UnitTests;

public sealed class SuppressionTests
{
    private static readonly NotificationKeysOptions Keys = new()
    {
        SuppressionKey = "suppression-key-0123456789abcdef0123456789",
        LinkSigningKey = "link-signing-key-0123456789abcdef012345678",
        PublicBaseUrl = new Uri("https://api.certometer.example/notifications/"),
    };

    private static readonly AddressHasher Hasher = new(Options.Create(Keys));
    private static readonly UnsubscribeLinks Links = new(Options.Create(Keys));

    [Fact]
    public void Case_and_surrounding_spaces_do_not_make_another_address()
    {
        Hasher.Hash("  Erika.Mustermann@Example.TEST ").ShouldBe(Hasher.Hash("erika.mustermann@example.test"));
        Hasher.Hash("erika.mustermann@example.test").ShouldNotBe(Hasher.Hash("erika.musterfrau@example.test"));
    }

    [Fact]
    public void A_suppressed_address_is_kept_only_as_a_keyed_hash()
    {
        var hash = Hasher.Hash("erika@example.test");
        var otherKey = new AddressHasher(Options.Create(new NotificationKeysOptions { SuppressionKey = Keys.SuppressionKey + "x" }));

        hash.ShouldNotContain("erika", Case.Insensitive);
        hash.Length.ShouldBe(64);
        otherKey.Hash("erika@example.test").ShouldNotBe(hash, "without the key nobody can check an address against the list");
    }

    [Fact]
    public void An_unsubscribe_link_names_the_address_it_was_made_for()
    {
        var hash = Hasher.Hash("erika@example.test");
        var url = new Uri(Links.CreateUrl(hash));

        url.GetLeftPart(UriPartial.Path).ShouldBe("https://api.certometer.example/notifications/api/notifications/unsubscribe");
        var token = url.Query["?token=".Length..];
        Links.Verify(token).ShouldBe(hash);
        url.AbsoluteUri.ShouldNotContain("erika", Case.Insensitive);
    }

    [Fact]
    public void A_token_for_one_address_cannot_be_turned_into_one_for_another()
    {
        var token = Links.CreateToken(Hasher.Hash("erika@example.test"));
        var bytes = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(token);
        var other = Convert.FromHexString(Hasher.Hash("max@example.test"));
        other.CopyTo(bytes, 0);

        Links.Verify(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(bytes)).ShouldBeNull();
    }

    [Fact]
    public void A_token_signed_with_another_key_is_refused()
    {
        var forger = new UnsubscribeLinks(Options.Create(new NotificationKeysOptions { LinkSigningKey = "another-link-key-0123456789abcdef01234567" }));

        Links.Verify(forger.CreateToken(Hasher.Hash("erika@example.test"))).ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not*base64url")]
    [InlineData("c2hvcnQ")]
    public void A_missing_or_malformed_token_names_nobody(string? token)
    {
        Links.Verify(token).ShouldBeNull();
    }

    [Fact]
    public void An_overlong_token_is_refused_before_it_is_decoded()
    {
        Links.Verify(new string('A', 201)).ShouldBeNull();
    }
}
