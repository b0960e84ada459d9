using System.ComponentModel.DataAnnotations;

namespace Certometer.Billing.Invoices;

/// <summary>How invoices are numbered and taxed, and how long tax law makes Billing keep them (section <c>Billing:Invoices</c>).</summary>
public sealed class InvoiceOptions
{
    public const string SectionName = "Billing:Invoices";

    /// <summary>The number prefix: invoices are numbered <c>{Series}-{year}-{000001}</c>, gap-free within a series and year.</summary>
    [Required]
    [RegularExpression("^[A-Z]{1,10}$", ErrorMessage = "Billing:Invoices:Series is 1 to 10 capital letters.")]
    public string Series { get; set; } = "CM";

    /// <summary>VAT rate, in percent, for a buyer country without its own entry in <see cref="TaxRatesByCountry"/>.</summary>
    [Range(0, 100)]
    public decimal DefaultTaxRatePercent { get; set; } = 19m;

    /// <summary>VAT rate in percent by ISO 3166-1 alpha-2 country of the buyer.</summary>
    public Dictionary<string, decimal> TaxRatesByCountry { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Years an issued invoice is kept after its issue date, whatever the buyer asks.</summary>
    [Range(1, 30)]
    public int RetentionYears { get; set; } = 10;

    /// <summary>The law that makes Billing keep invoices, as stated on erasure receipts and in the data inventory.</summary>
    [Required]
    public string RetentionLegalBasis { get; set; } =
        "HGB §257 / AO §147 and EU VAT Directive 2006/112/EC art. 244-249: issued invoices are kept for 10 years.";

    public decimal TaxRateFor(string country) =>
        TaxRatesByCountry.TryGetValue(country, out var rate) ? rate : DefaultTaxRatePercent;
}
