using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.PriceList;

/// <summary>How <see cref="CourseOffer"/> is stored.</summary>
internal sealed class CourseOfferConfiguration : IEntityTypeConfiguration<CourseOffer>
{
    public void Configure(EntityTypeBuilder<CourseOffer> offer)
    {
        offer.ToTable("course_offers");
        offer.HasKey(o => o.CourseId);
        offer.Property(o => o.Title).HasMaxLength(300);
        offer.Property(o => o.Currency).HasMaxLength(3);
    }
}
