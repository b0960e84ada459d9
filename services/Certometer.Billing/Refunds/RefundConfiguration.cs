using Certometer.Billing.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.Refunds;

/// <summary>How <see cref="Refund"/> is stored.</summary>
internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> refund)
    {
        refund.ToTable("refunds");
        refund.HasKey(r => r.Id);
        refund.HasIndex(r => r.OrderId).IsUnique();
        refund.HasOne<Order>().WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Restrict);
        refund.Property(r => r.GatewayReference).HasMaxLength(100);
        refund.Property(r => r.Currency).HasMaxLength(3);
    }
}
