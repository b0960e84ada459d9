using Certometer.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Data;

/// <summary>The Catalog service's own database.</summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}
