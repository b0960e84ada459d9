using Certometer.Notifications.Data;
using Certometer.Tests;

namespace Certometer.Notifications.UnitTests;

public sealed class PersistenceModelTests : PersistenceModelChecks<NotificationsDbContext>
{
    protected override NotificationsDbContext CreateDbContext() => new NotificationsDbContextFactory().CreateDbContext([]);
}
