using Certometer.Identity.Data;
using Certometer.Tests;

namespace Certometer.Identity.UnitTests;

public sealed class PersistenceModelTests : PersistenceModelChecks<IdentityDbContext>
{
    protected override IdentityDbContext CreateDbContext() => new IdentityDbContextFactory().CreateDbContext([]);
}
