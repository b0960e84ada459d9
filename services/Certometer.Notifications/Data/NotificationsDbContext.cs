using Certometer.HolderContract.Tombstones;
using Certometer.Messaging;
using Certometer.Notifications.Delivery;
using Certometer.Notifications.Marketing;
using Certometer.Notifications.PolicyNotices;
using Certometer.Notifications.Recipients;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Data;

/// <summary>The Notifications service's own database: recipients, their settings, the delivery log, the suppression list.</summary>
public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Recipient> Recipients => Set<Recipient>();

    public DbSet<SubjectSettings> SubjectSettings => Set<SubjectSettings>();

    public DbSet<OutgoingMessage> Messages => Set<OutgoingMessage>();

    public DbSet<SuppressedAddress> SuppressionList => Set<SuppressedAddress>();

    public DbSet<PolicyNoticeRun> PolicyNoticeRuns => Set<PolicyNoticeRun>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox().AddErasureTombstones();

        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NotificationsDbContext).Assembly);
    }
}
