using Certometer.Billing.Orders;

namespace Certometer.Billing.UnitTests;

public sealed class OrderRulesTests
{
    private static readonly Guid Course = Guid.Parse("0194f0a2-3c5e-7b1d-9a8f-1c2d3e4f5a6b");

    private static BillingAddressDto Address(string? line2 = null, string? region = null, string? country = "DE") =>
        new("Hauptstrasse 1", line2, "Berlin", region, "10115", country);

    private static CreateOrderRequest Order(BillingAddressDto? address = null) =>
        new(Course, new BillingDetailsDto("Erika Mustermann", address ?? Address()));

    [Fact]
    public void A_complete_order_with_a_key_has_nothing_to_correct()
    {
        OrderRules.Validate(Order(), "key-1").ShouldBeEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void An_order_without_an_idempotency_key_is_refused_naming_the_header(string? key)
    {
        OrderRules.Validate(Order(), key).Keys.ShouldBe([OrderRules.IdempotencyKeyHeader]);
    }

    [Fact]
    public void An_idempotency_key_may_be_100_characters_but_not_101()
    {
        OrderRules.Validate(Order(), new string('k', 100)).ShouldBeEmpty();
        OrderRules.Validate(Order(), new string('k', 101)).Keys.ShouldBe([OrderRules.IdempotencyKeyHeader]);
    }

    [Fact]
    public void An_order_naming_no_course_is_refused()
    {
        OrderRules.Validate(Order() with { CourseId = null }, "key").Keys.ShouldBe(["courseId"]);
        OrderRules.Validate(Order() with { CourseId = Guid.Empty }, "key").Keys.ShouldBe(["courseId"]);
    }

    [Fact]
    public void Without_billing_details_the_invoice_cannot_be_made_out_and_nothing_below_them_is_reported()
    {
        OrderRules.Validate(new CreateOrderRequest(Course, null), "key").Keys.ShouldBe(["billingDetails"]);
        OrderRules.Validate(new CreateOrderRequest(Course, new BillingDetailsDto("Erika", null)), "key").Keys.ShouldBe(["billingDetails.address"]);
    }

    [Fact]
    public void Every_missing_required_line_of_the_address_is_named()
    {
        var errors = OrderRules.Validate(
            new CreateOrderRequest(Course, new BillingDetailsDto(" ", new BillingAddressDto(null, null, "", null, "\t", null))), "key");

        errors.Keys.ShouldBe(
            [
                "billingDetails.name", "billingDetails.address.line1", "billingDetails.address.city",
                "billingDetails.address.postalCode", "billingDetails.address.country",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Optional_address_lines_may_be_left_out_but_not_run_past_200_characters()
    {
        OrderRules.Validate(Order(Address(line2: null, region: null)), "key").ShouldBeEmpty();
        var errors = OrderRules.Validate(Order(Address(line2: new string('x', 201), region: new string('y', 201))), "key");

        errors.Keys.ShouldBe(["billingDetails.address.line2", "billingDetails.address.region"], ignoreOrder: true);
    }

    [Fact]
    public void The_200_character_limit_counts_the_text_without_surrounding_spaces()
    {
        OrderRules.Validate(Order(Address(line2: $"  {new string('x', 200)}  ")), "key").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("DE", true)]
    [InlineData("fr", true)]
    [InlineData("D", false)]
    [InlineData("DEU", false)]
    [InlineData("D1", false)]
    [InlineData("ÄB", false)]
    [InlineData(null, false)]
    public void A_country_is_two_ascii_letters(string? country, bool valid)
    {
        OrderRules.IsCountryCode(country).ShouldBe(valid);
        OrderRules.Validate(Order(Address(country: country)), "key").ContainsKey("billingDetails.address.country").ShouldBe(!valid);
    }

    [Fact]
    public void Stored_details_are_trimmed_with_blank_optional_lines_dropped_and_the_country_in_capitals()
    {
        var stored = OrderRules.Normalise(new BillingDetailsDto(
            "  Erika Mustermann ", new BillingAddressDto(" Hauptstrasse 1 ", "   ", " Berlin ", " Mitte ", " 10115 ", "de")));

        stored.Name.ShouldBe("Erika Mustermann");
        stored.Line1.ShouldBe("Hauptstrasse 1");
        stored.Line2.ShouldBeNull();
        stored.City.ShouldBe("Berlin");
        stored.Region.ShouldBe("Mitte");
        stored.PostalCode.ShouldBe("10115");
        stored.Country.ShouldBe("DE");
    }

    [Fact]
    public void A_retry_of_the_same_purchase_has_the_same_fingerprint_and_any_change_gives_another()
    {
        var details = OrderRules.Normalise(Order().BillingDetails!);
        var same = OrderRules.Normalise(Order().BillingDetails!);
        var otherCity = OrderRules.Normalise(Order(Address() with { City = "Hamburg" }).BillingDetails!);

        OrderRules.Fingerprint(Course, details).ShouldBe(OrderRules.Fingerprint(Course, same));
        OrderRules.Fingerprint(Course, details).ShouldNotBe(OrderRules.Fingerprint(Guid.NewGuid(), details));
        OrderRules.Fingerprint(Course, details).ShouldNotBe(OrderRules.Fingerprint(Course, otherCity));
    }
}
