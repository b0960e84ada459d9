using Certometer.Identity.Accounts;
using Certometer.Messaging;
using Certometer.Privacy.Tombstones;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using AspNetIdentityDbContext = Microsoft.AspNetCore.Identity.EntityFrameworkCore.IdentityDbContext<
    Certometer.Identity.Accounts.Account, Microsoft.AspNetCore.Identity.IdentityRole<System.Guid>, System.Guid>;

namespace Certometer.Identity.Data;

/// <summary>The Identity service's own database: accounts, roles, sign-in history, OpenIddict's clients and tokens, outbox and inbox.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : AspNetIdentityDbContext(options)
{
    public DbSet<SignInRecord> SignIns => Set<SignInRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict<Guid>();
        builder.AddOutboxAndInbox().AddErasureTombstones();

        builder.Entity<Account>(account =>
        {
            account.Property(a => a.Name).HasMaxLength(Account.NameMaxLength);
            account.Property(a => a.Company).HasMaxLength(Account.TextMaxLength);
            account.Property(a => a.JobRole).HasMaxLength(Account.TextMaxLength);
            account.Property(a => a.TeamSize).HasMaxLength(16);
            account.Property(a => a.BusinessType).HasMaxLength(Account.TextMaxLength);
            account.Property(a => a.PreferredLanguage).HasMaxLength(35);
            account.OwnsOne(a => a.MailingAddress, address =>
            {
                address.Property(a => a.Line1).HasMaxLength(Account.TextMaxLength);
                address.Property(a => a.Line2).HasMaxLength(Account.TextMaxLength);
                address.Property(a => a.City).HasMaxLength(Account.TextMaxLength);
                address.Property(a => a.Region).HasMaxLength(Account.TextMaxLength);
                address.Property(a => a.PostalCode).HasMaxLength(32);
                address.Property(a => a.Country).HasMaxLength(2);
            });
        });

        builder.Entity<SignInRecord>(signIn =>
        {
            signIn.ToTable("sign_ins");
            signIn.HasKey(s => s.Id);
            signIn.HasIndex(s => new { s.AccountId, s.At });
            signIn.Property(s => s.IpAddress).HasMaxLength(45);
            signIn.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<IdentityRole<Guid>>();
    }
}
