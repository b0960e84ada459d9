using Certometer.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Analytics.Data;

/// <summary>The Analytics service's own database.</summary>
public sealed class AnalyticsDbContext(DbContextOptions<AnalyticsDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}
