using Certometer.Catalog.Data;
using Certometer.Tests;

namespace Certometer.Catalog.UnitTests;

public sealed class PersistenceModelTests : PersistenceModelChecks<CatalogDbContext>
{
    protected override CatalogDbContext CreateDbContext() => new CatalogDbContextFactory().CreateDbContext([]);
}
