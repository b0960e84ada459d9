using Certometer.Persistence;

namespace Certometer.Notifications.Data;

internal sealed class NotificationsDbContextFactory : DesignTimeServiceDbContextFactory<NotificationsDbContext>;
