using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Identity.Accounts;

/// <summary>How <see cref="SignInRecord"/> is stored.</summary>
internal sealed class SignInRecordConfiguration : IEntityTypeConfiguration<SignInRecord>
{
    public void Configure(EntityTypeBuilder<SignInRecord> signIn)
    {
        signIn.ToTable("sign_ins");
        signIn.HasKey(s => s.Id);
        signIn.HasIndex(s => new { s.AccountId, s.At });
        signIn.Property(s => s.IpAddress).HasMaxLength(45);
        signIn.Property(s => s.Method).HasMaxLength(8).HasDefaultValue(SignInMethods.Password);
        signIn.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
