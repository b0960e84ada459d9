using Certometer.Persistence;

namespace Certometer.Analytics.Data;

internal sealed class AnalyticsDbContextFactory : DesignTimeServiceDbContextFactory<AnalyticsDbContext>;
