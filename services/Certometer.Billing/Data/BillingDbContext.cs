using Certometer.Billing.Invoices;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Billing.PersonalData;
using Certometer.Billing.PriceList;
using Certometer.Billing.Refunds;
using Certometer.HolderContract.Tombstones;
using Certometer.Messaging;
using Microsoft.EntityFrameworkCore;

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
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BillingDbContext).Assembly);
    }
}
