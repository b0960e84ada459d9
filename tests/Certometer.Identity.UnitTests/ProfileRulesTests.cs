using Certometer.Identity.Accounts;
using Certometer.Identity.Profile;

namespace Certometer.Identity.UnitTests;

public sealed class ProfileRulesTests
{
    private static readonly UpdateProfileRequest Minimal = new("Erika Mustermann", "erika@example.test");

    private static MailingAddressDto Address(string? country = "DE") => new("Hauptstrasse 1", null, "Berlin", null, "10115", country);

    [Fact]
    public void A_name_and_an_email_address_are_all_a_profile_needs()
    {
        ProfileRules.Validate(Minimal).ShouldBeEmpty();
    }

    [Fact]
    public void Sign_up_and_correction_follow_the_same_rules()
    {
        var signUp = new RegisterLearnerRequest(" ", "not-an-address", "passphrase-long", true, false, Phone: "12");
        var correction = new UpdateProfileRequest(" ", "not-an-address", Phone: "12");

        ProfileRules.Validate(signUp).Keys.ShouldBe(ProfileRules.Validate(correction).Keys, ignoreOrder: true);
        ProfileRules.Validate(correction).Keys.ShouldBe(["name", "email", "phone"], ignoreOrder: true);
    }

    [Fact]
    public void A_name_may_be_200_characters_but_no_longer()
    {
        ProfileRules.Validate(Minimal with { Name = new string('n', 200) }).ShouldBeEmpty();
        ProfileRules.Validate(Minimal with { Name = new string('n', 201) }).Keys.ShouldBe(["name"]);
    }

    [Theory]
    [InlineData("erika@example.test", true)]
    [InlineData("  erika@example.test  ", true)]
    [InlineData("erika@localhost", false)]
    [InlineData("Erika <erika@example.test>", false)]
    [InlineData("erika", false)]
    public void The_email_is_a_bare_address_on_a_dotted_domain(string email, bool valid)
    {
        ProfileRules.Validate(Minimal with { Email = email }).ContainsKey("email").ShouldBe(!valid);
    }

    [Theory]
    [InlineData("+49 30 1234567", true)]
    [InlineData("(030) 123-456", true)]
    [InlineData("12345", false)]
    [InlineData("+49 30 1234567 8901234567", false)]
    [InlineData("49+301234567", false)]
    [InlineData("+49 30 123 ext. 4", false)]
    public void A_phone_number_has_6_to_20_digits_and_at_most_a_leading_plus(string phone, bool valid)
    {
        ProfileRules.Validate(Minimal with { Phone = phone }).ContainsKey("phone").ShouldBe(!valid);
    }

    [Fact]
    public void A_mailing_address_once_given_needs_its_first_line_city_postal_code_and_a_country_code()
    {
        ProfileRules.Validate(Minimal with { MailingAddress = Address() }).ShouldBeEmpty();
        ProfileRules.Validate(Minimal with { MailingAddress = new MailingAddressDto(" ", "2nd floor", null, null, "", "DEU") })
            .Keys.ShouldBe(["mailingAddress.line1", "mailingAddress.city", "mailingAddress.postalCode", "mailingAddress.country"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("2-10", true)]
    [InlineData("1000+", true)]
    [InlineData("11 - 50", false)]
    [InlineData("huge", false)]
    public void A_team_size_is_one_of_the_listed_bands(string teamSize, bool valid)
    {
        ProfileRules.Validate(Minimal with { TeamSize = teamSize }).ContainsKey("teamSize").ShouldBe(!valid);
    }

    [Theory]
    [InlineData("de-CH", true)]
    [InlineData("zh-Hant-TW", true)]
    [InlineData("german", false)]
    [InlineData("de_CH", false)]
    public void The_preferred_language_is_a_language_tag(string language, bool valid)
    {
        ProfileRules.Validate(Minimal with { PreferredLanguage = language }).ContainsKey("preferredLanguage").ShouldBe(!valid);
    }

    [Fact]
    public void Optional_text_runs_to_200_characters_at_most()
    {
        var tooLong = new string('x', 201);

        ProfileRules.Validate(Minimal with { Company = tooLong, JobRole = tooLong, BusinessType = tooLong })
            .Keys.ShouldBe(["company", "jobRole", "businessType"], ignoreOrder: true);
    }

    [Fact]
    public void Blank_optional_fields_are_stored_as_cleared_and_the_country_in_capitals()
    {
        var account = new Account { Name = "Erika", Company = "Old company", PhoneNumber = "+49 30 7654321" };

        ProfileRules.ApplyOptionalFields(account, Minimal with
        {
            Phone = "   ",
            Company = "  ",
            JobRole = " Trainer ",
            MailingAddress = new MailingAddressDto(" Hauptstrasse 1 ", " ", " Berlin ", null, " 10115 ", "de"),
        });

        account.PhoneNumber.ShouldBeNull();
        account.Company.ShouldBeNull();
        account.JobRole.ShouldBe("Trainer");
        var address = account.MailingAddress.ShouldNotBeNull();
        (address.Line1, address.Line2, address.City, address.PostalCode, address.Country).ShouldBe(("Hauptstrasse 1", (string?)null, "Berlin", "10115", "DE"));
    }

    [Fact]
    public void Leaving_out_the_mailing_address_clears_the_stored_one()
    {
        var account = new Account
        {
            Name = "Erika",
            MailingAddress = new MailingAddress { Line1 = "Hauptstrasse 1", City = "Berlin", PostalCode = "10115", Country = "DE" },
        };

        ProfileRules.ApplyOptionalFields(account, Minimal);

        account.MailingAddress.ShouldBeNull();
    }
}
