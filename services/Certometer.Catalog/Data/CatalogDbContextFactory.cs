using Certometer.Persistence;

namespace Certometer.Catalog.Data;

internal sealed class CatalogDbContextFactory : DesignTimeServiceDbContextFactory<CatalogDbContext>;
