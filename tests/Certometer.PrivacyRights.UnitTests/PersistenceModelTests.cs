using Certometer.PrivacyRights.Data;
using Certometer.Tests;

namespace Certometer.PrivacyRights.UnitTests;

public sealed class PersistenceModelTests : PersistenceModelChecks<PrivacyRightsDbContext>
{
    protected override PrivacyRightsDbContext CreateDbContext() => new PrivacyRightsDbContextFactory().CreateDbContext([]);
}
