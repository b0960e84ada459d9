using Certometer.Messaging;
using Certometer.PrivacyRights.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Data;

/// <summary>The PrivacyRights service's own database.</summary>
public sealed class PrivacyRightsDbContext(DbContextOptions<PrivacyRightsDbContext> options) : DbContext(options)
{
    public DbSet<PersonalDataHolder> PersonalDataHolders => Set<PersonalDataHolder>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.Entity<PersonalDataHolder>(holder =>
        {
            holder.ToTable("personal_data_holders");
            holder.HasKey(h => h.Service);
            holder.Property(h => h.Service).HasColumnName("service").HasMaxLength(100);
            holder.Property(h => h.Categories).HasColumnName("categories").HasColumnType("jsonb");
            holder.Property(h => h.OnRestriction).HasColumnName("on_restriction").HasMaxLength(1000);
            holder.Property(h => h.DeclaredAt).HasColumnName("declared_at");
        });
    }
}
