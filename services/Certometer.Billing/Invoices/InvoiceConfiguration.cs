using Certometer.Billing.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.Invoices;

/// <summary>How <see cref="Invoice"/> is stored.</summary>
internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> invoice)
    {
        invoice.ToTable("invoices");
        invoice.HasKey(i => i.Id);
        invoice.HasIndex(i => i.OrderId).IsUnique();
        invoice.HasIndex(i => i.Number).IsUnique();
        invoice.HasIndex(i => i.SubjectId);
        invoice.HasOne<Order>().WithOne().HasForeignKey<Invoice>(i => i.OrderId).OnDelete(DeleteBehavior.Restrict);
        invoice.Property(i => i.Number).HasMaxLength(40);
        invoice.Property(i => i.Currency).HasMaxLength(3);
        invoice.Property(i => i.TaxRatePercent).HasPrecision(5, 2);
        invoice.ComplexProperty(i => i.BillTo, BillingDetailsColumns.Configure);
        invoice.OwnsMany(i => i.Lines, lines => lines.ToJson("lines"));
    }
}
