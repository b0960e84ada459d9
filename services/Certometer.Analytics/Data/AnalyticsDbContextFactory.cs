using Certometer.Messaging;

namespace Certometer.Analytics.Data;

internal sealed class AnalyticsDbContextFactory : DesignTimeServiceDbContextFactory<AnalyticsDbContext>;
