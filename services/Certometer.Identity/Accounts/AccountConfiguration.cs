using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Identity.Accounts;

/// <summary>How <see cref="Account"/> is stored, on top of what ASP.NET Core Identity maps itself.</summary>
internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> account)
    {
        account.ToTable("accounts");
        account.HasIndex(a => a.NormalizedUserName).HasDatabaseName("ix_accounts_normalized_user_name");
        account.HasIndex(a => a.NormalizedEmail).HasDatabaseName("ix_accounts_normalized_email");
        account.Property(a => a.Name).HasMaxLength(Account.NameMaxLength);
        account.Property(a => a.Company).HasMaxLength(Account.TextMaxLength);
        account.Property(a => a.JobRole).HasMaxLength(Account.TextMaxLength);
        account.Property(a => a.TeamSize).HasMaxLength(16);
        account.Property(a => a.BusinessType).HasMaxLength(Account.TextMaxLength);
        account.Property(a => a.PreferredLanguage).HasMaxLength(35);
        account.Property(a => a.PendingEmail).HasMaxLength(256);
        account.OwnsOne(a => a.MailingAddress, address =>
        {
            address.Property(a => a.Line1).HasMaxLength(Account.TextMaxLength);
            address.Property(a => a.Line2).HasMaxLength(Account.TextMaxLength);
            address.Property(a => a.City).HasMaxLength(Account.TextMaxLength);
            address.Property(a => a.Region).HasMaxLength(Account.TextMaxLength);
            address.Property(a => a.PostalCode).HasMaxLength(32);
            address.Property(a => a.Country).HasMaxLength(2);
        });
    }
}
