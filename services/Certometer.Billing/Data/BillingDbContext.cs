using Certometer.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Data;

/// <summary>The Billing service's own database.</summary>
public sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}
