using Certometer.Analytics.Data;
using Certometer.Tests;

namespace Certometer.Analytics.UnitTests;

public sealed class PersistenceModelTests : PersistenceModelChecks<AnalyticsDbContext>
{
    protected override AnalyticsDbContext CreateDbContext() => new AnalyticsDbContextFactory().CreateDbContext([]);
}
