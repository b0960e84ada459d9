using Certometer.HolderContract.Tombstones;
using Certometer.Identity.Accounts;
using Certometer.Messaging;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
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

        builder.ApplyConfigurationsFromAssembly(typeof(IdentityDbContext).Assembly);
        builder.Entity<IdentityRole<Guid>>();
        NameFrameworkTablesLikeOurOwn(builder);
    }

    // ASP.NET Core Identity and OpenIddict name their tables in PascalCase themselves; every other table of the
    // product is snake_case, and an operator reading psql should not need to know which library made which table
    // (accounts themselves: AccountConfiguration).
    private static void NameFrameworkTablesLikeOurOwn(ModelBuilder builder)
    {
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("account_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("account_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("account_tokens");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("account_roles");
        builder.Entity<IdentityRole<Guid>>(role =>
        {
            role.ToTable("roles");
            role.HasIndex(r => r.NormalizedName).HasDatabaseName("ix_roles_normalized_name");
        });
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        builder.Entity<OpenIddictEntityFrameworkCoreApplication<Guid>>().ToTable("oidc_applications");
        builder.Entity<OpenIddictEntityFrameworkCoreAuthorization<Guid>>().ToTable("oidc_authorizations");
        builder.Entity<OpenIddictEntityFrameworkCoreScope<Guid>>().ToTable("oidc_scopes");
        builder.Entity<OpenIddictEntityFrameworkCoreToken<Guid>>().ToTable("oidc_tokens");
    }
}
