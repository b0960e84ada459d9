using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.PersonalData;

/// <summary>How <see cref="ProcessingRestriction"/> is stored.</summary>
internal sealed class ProcessingRestrictionConfiguration : IEntityTypeConfiguration<ProcessingRestriction>
{
    public void Configure(EntityTypeBuilder<ProcessingRestriction> restriction)
    {
        restriction.ToTable("processing_restrictions");
        restriction.HasKey(r => r.SubjectId);
    }
}
