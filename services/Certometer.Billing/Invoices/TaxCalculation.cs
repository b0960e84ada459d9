namespace Certometer.Billing.Invoices;

/// <summary>The VAT contained in a consumer price.</summary>
/// <remarks>
/// Catalog's prices are what the learner pays: EU consumer prices must be quoted including VAT (Directive 98/6/EC),
/// so the tax is worked out of the gross amount, rounded half away from zero to the minor unit, and the net amount
/// is the rest — net and tax always add up to exactly what was charged.
/// </remarks>
internal static class TaxCalculation
{
    public static (long NetMinor, long TaxMinor) SplitGross(long grossMinor, decimal ratePercent)
    {
        var tax = (long)Math.Round(grossMinor * ratePercent / (100m + ratePercent), 0, MidpointRounding.AwayFromZero);
        return (grossMinor - tax, tax);
    }
}
