using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.Orders;

/// <summary>How <see cref="Order"/> is stored.</summary>
internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> order)
    {
        order.ToTable("orders");
        order.HasKey(o => o.Id);
        order.HasIndex(o => new { o.SubjectId, o.IdempotencyKey }).IsUnique();
        order.Property(o => o.IdempotencyKey).HasMaxLength(100);
        order.Property(o => o.RequestFingerprint).HasMaxLength(64);
        order.Property(o => o.CourseTitle).HasMaxLength(300);
        order.Property(o => o.Currency).HasMaxLength(3);
        order.Property(o => o.Status).HasConversion<string>().HasMaxLength(30);
        order.ComplexProperty(o => o.BillingDetails, BillingDetailsColumns.Configure);
    }
}
