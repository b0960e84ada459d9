using Certometer.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.Data;

/// <summary>The Identity service's own database.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}
