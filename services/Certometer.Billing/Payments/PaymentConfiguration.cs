using Certometer.Billing.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.Payments;

/// <summary>How <see cref="Payment"/> is stored.</summary>
internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.ToTable("payments");
        payment.HasKey(p => p.Id);
        payment.HasIndex(p => new { p.OrderId, p.Attempt }).IsUnique();
        payment.HasIndex(p => p.GatewayReference).IsUnique();
        payment.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Cascade);
        payment.Property(p => p.GatewayReference).HasMaxLength(100);
        payment.Property(p => p.Status).HasConversion<string>().HasMaxLength(30);
        payment.Property(p => p.DeclineCode).HasMaxLength(100);
        payment.Property(p => p.CardBrand).HasMaxLength(30);
        payment.Property(p => p.CardLast4).HasMaxLength(4);
    }
}
