using Certometer.Messaging;

namespace Certometer.Notifications.Data;

internal sealed class NotificationsDbContextFactory : DesignTimeServiceDbContextFactory<NotificationsDbContext>;
