using Certometer.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Data;

/// <summary>The Notifications service's own database.</summary>
public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}
