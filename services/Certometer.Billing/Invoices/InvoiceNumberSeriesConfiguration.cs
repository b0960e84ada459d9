using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.Invoices;

/// <summary>How <see cref="InvoiceNumberSeries"/> is stored.</summary>
internal sealed class InvoiceNumberSeriesConfiguration : IEntityTypeConfiguration<InvoiceNumberSeries>
{
    public void Configure(EntityTypeBuilder<InvoiceNumberSeries> series)
    {
        series.ToTable("invoice_number_series");
        series.HasKey(s => new { s.Series, s.Year });
        series.Property(s => s.Series).HasMaxLength(10);
    }
}
