using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.PrivacyRights.Inventory;

/// <summary>How <see cref="PersonalDataHolder"/> is stored.</summary>
internal sealed class PersonalDataHolderConfiguration : IEntityTypeConfiguration<PersonalDataHolder>
{
    public void Configure(EntityTypeBuilder<PersonalDataHolder> holder)
    {
        holder.ToTable("personal_data_holders");
        holder.HasKey(h => h.Service);
        holder.Property(h => h.Service).HasMaxLength(100);
        holder.Property(h => h.Categories).HasColumnType("jsonb");
        holder.Property(h => h.OnRestriction).HasMaxLength(1000);
    }
}
