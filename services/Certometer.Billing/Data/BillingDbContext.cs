using Certometer.Billing.Invoices;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Billing.PriceList;
using Certometer.Billing.Privacy;
using Certometer.Billing.Refunds;
using Certometer.Messaging;
using Certometer.Privacy.Tombstones;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.Data;

/// <summary>The Billing service's own database.</summary>
public sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options)
{
    internal DbSet<CourseOffer> CourseOffers => Set<CourseOffer>();

    internal DbSet<Order> Orders => Set<Order>();

    internal DbSet<Payment> Payments => Set<Payment>();

    internal DbSet<Invoice> Invoices => Set<Invoice>();

    internal DbSet<Refund> Refunds => Set<Refund>();

    internal DbSet<ProcessingRestriction> ProcessingRestrictions => Set<ProcessingRestriction>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox().AddErasureTombstones();

        modelBuilder.Entity<CourseOffer>(offer =>
        {
            offer.ToTable("course_offers");
            offer.HasKey(o => o.CourseId);
            offer.Property(o => o.Title).HasMaxLength(300);
            offer.Property(o => o.Currency).HasMaxLength(3);
        });

        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders");
            order.HasKey(o => o.Id);
            order.HasIndex(o => new { o.SubjectId, o.IdempotencyKey }).IsUnique();
            order.Property(o => o.IdempotencyKey).HasMaxLength(100);
            order.Property(o => o.RequestFingerprint).HasMaxLength(64);
            order.Property(o => o.CourseTitle).HasMaxLength(300);
            order.Property(o => o.Currency).HasMaxLength(3);
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(30);
            order.ComplexProperty(o => o.BillingDetails, BillingDetailsColumns);
        });

        modelBuilder.Entity<Payment>(payment =>
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
        });

        modelBuilder.Entity<Invoice>(invoice =>
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
            invoice.ComplexProperty(i => i.BillTo, BillingDetailsColumns);
            invoice.OwnsMany(i => i.Lines, lines => lines.ToJson("lines"));
        });

        modelBuilder.Entity<InvoiceNumberSeries>(series =>
        {
            series.ToTable("invoice_number_series");
            series.HasKey(s => new { s.Series, s.Year });
            series.Property(s => s.Series).HasMaxLength(10);
        });

        modelBuilder.Entity<Refund>(refund =>
        {
            refund.ToTable("refunds");
            refund.HasKey(r => r.Id);
            refund.HasIndex(r => r.OrderId).IsUnique();
            refund.HasOne<Order>().WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Restrict);
            refund.Property(r => r.GatewayReference).HasMaxLength(100);
            refund.Property(r => r.Currency).HasMaxLength(3);
        });

        modelBuilder.Entity<ProcessedGatewayEvent>(gatewayEvent =>
        {
            gatewayEvent.ToTable("gateway_events");
            gatewayEvent.HasKey(e => e.EventId);
            gatewayEvent.Property(e => e.EventId).HasMaxLength(200);
            gatewayEvent.Property(e => e.Type).HasMaxLength(100);
        });

        modelBuilder.Entity<ProcessingRestriction>(restriction =>
        {
            restriction.ToTable("processing_restrictions");
            restriction.HasKey(r => r.SubjectId);
        });
    }

    private static void BillingDetailsColumns(ComplexPropertyBuilder<BillingDetails> details)
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

/// <summary>A gateway webhook event already applied, so a replay of it changes nothing.</summary>
internal sealed class ProcessedGatewayEvent
{
    public required string EventId { get; init; }

    public required string Type { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}
