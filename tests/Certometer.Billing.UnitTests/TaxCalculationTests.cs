using Certometer.Billing.Invoices;

namespace Certometer.Billing.UnitTests;

public sealed class TaxCalculationTests
{
    [Theory]
    [InlineData(4900, 19, 4118, 782)]
    [InlineData(4900, 20, 4083, 817)]
    [InlineData(100, 7, 93, 7)]
    [InlineData(0, 19, 0, 0)]
    public void The_tax_is_worked_out_of_the_price_the_learner_pays(long gross, int rate, long net, long tax)
    {
        TaxCalculation.SplitGross(gross, rate).ShouldBe((net, tax));
    }

    [Fact]
    public void Without_a_rate_the_whole_price_is_net()
    {
        TaxCalculation.SplitGross(4900, 0m).ShouldBe((4900, 0));
    }

    [Fact]
    public void A_tax_of_exactly_half_a_cent_rounds_up_not_to_even()
    {
        // At 100 % a gross of 5 holds 2.5 of tax: banker's rounding would give 2.
        TaxCalculation.SplitGross(5, 100m).ShouldBe((2, 3));
    }

    [Fact]
    public void Net_and_tax_always_add_up_to_exactly_what_was_charged()
    {
        decimal[] rates = [0m, 2.1m, 5.5m, 7m, 10m, 16m, 19m, 20m, 21m, 25.5m, 27m, 100m];
        for (long gross = 0; gross <= 20_000; gross += 7)
        {
            foreach (var rate in rates)
            {
                var (net, tax) = TaxCalculation.SplitGross(gross, rate);
                (net + tax).ShouldBe(gross, $"{gross} at {rate} %");
                tax.ShouldBeInRange(0, gross);
            }
        }
    }

    [Fact]
    public void A_buyer_country_with_its_own_rate_uses_it_in_any_case_and_any_other_country_the_default()
    {
        var options = new InvoiceOptions { DefaultTaxRatePercent = 19m };
        options.TaxRatesByCountry["FR"] = 20m;

        options.TaxRateFor("FR").ShouldBe(20m);
        options.TaxRateFor("fr").ShouldBe(20m);
        options.TaxRateFor("DE").ShouldBe(19m);
    }
}
