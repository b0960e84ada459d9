using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Analytics.Collection;

/// <summary>How <see cref="CollectionSwitch"/> is stored.</summary>
internal sealed class CollectionSwitchConfiguration : IEntityTypeConfiguration<CollectionSwitch>
{
    public void Configure(EntityTypeBuilder<CollectionSwitch> choice)
    {
        choice.ToTable("collection_switches");
        choice.HasKey(c => c.Pseudonym);
        choice.Property(c => c.Pseudonym).HasMaxLength(64);
    }
}
