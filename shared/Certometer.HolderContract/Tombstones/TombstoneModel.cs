using Microsoft.EntityFrameworkCore;

namespace Certometer.HolderContract.Tombstones;

/// <summary>Adds the erasure tombstones table to a holder's EF Core model, so its migrations create it.</summary>
public static class TombstoneModel
{
    public static ModelBuilder AddErasureTombstones(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<ErasureTombstone>(tombstone =>
        {
            tombstone.ToTable("erasure_tombstones");
            tombstone.HasKey(t => t.SubjectKey);
            tombstone.Property(t => t.SubjectKey).HasMaxLength(32);
        });
        return modelBuilder;
    }
}
