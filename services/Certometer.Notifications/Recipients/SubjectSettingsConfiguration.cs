using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Notifications.Recipients;

/// <summary>How <see cref="SubjectSettings"/> is stored.</summary>
internal sealed class SubjectSettingsConfiguration : IEntityTypeConfiguration<SubjectSettings>
{
    public void Configure(EntityTypeBuilder<SubjectSettings> settings)
    {
        settings.ToTable("subject_settings");
        settings.HasKey(s => s.SubjectId);
    }
}
