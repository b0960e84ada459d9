using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.Orders;

/// <summary>How <see cref="BillingDetails"/> is stored, inline on each order and invoice that carries them.</summary>
internal static class BillingDetailsColumns
{
    public static void Configure(ComplexPropertyBuilder<BillingDetails> details)
    {
        details.Property(d => d.Name).HasMaxLength(200);
        details.Property(d => d.Line1).HasMaxLength(200);
        details.Property(d => d.Line2).HasMaxLength(200);
        details.Property(d => d.City).HasMaxLength(200);
        details.Property(d => d.Region).HasMaxLength(200);
        details.Property(d => d.PostalCode).HasMaxLength(200);
        details.Property(d => d.Country).HasMaxLength(2);
    }
}
