using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Notifications.Marketing;

/// <summary>How <see cref="SuppressedAddress"/> is stored.</summary>
internal sealed class SuppressedAddressConfiguration : IEntityTypeConfiguration<SuppressedAddress>
{
    public void Configure(EntityTypeBuilder<SuppressedAddress> suppressed)
    {
        suppressed.ToTable("suppression_list");
        suppressed.HasKey(s => s.AddressHash);
        suppressed.Property(s => s.AddressHash).HasMaxLength(64);
        suppressed.Property(s => s.Reason).HasMaxLength(40);
    }
}
