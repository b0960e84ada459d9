using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Catalog.Learners;

/// <summary>How <see cref="Learner"/> is stored.</summary>
internal sealed class LearnerConfiguration : IEntityTypeConfiguration<Learner>
{
    public void Configure(EntityTypeBuilder<Learner> learner)
    {
        learner.ToTable("learners");
        learner.HasKey(l => l.SubjectId);
        learner.Property(l => l.SubjectId).ValueGeneratedNever();
        learner.Property(l => l.Name).HasMaxLength(Learner.NameMaxLength);
    }
}
