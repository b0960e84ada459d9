using Certometer.Billing.Data;
using Certometer.Tests;

namespace Certometer.Billing.UnitTests;

public sealed class PersistenceModelTests : PersistenceModelChecks<BillingDbContext>
{
    protected override BillingDbContext CreateDbContext() => new BillingDbContextFactory().CreateDbContext([]);
}
