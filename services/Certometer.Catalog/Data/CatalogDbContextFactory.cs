using Certometer.Messaging;

namespace Certometer.Catalog.Data;

internal sealed class CatalogDbContextFactory : DesignTimeServiceDbContextFactory<CatalogDbContext>;
