using System.ComponentModel.DataAnnotations;
using Certometer.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Certometer.Identity.Accounts;

/// <summary>Staff accounts to create at start-up (section <c>Identity:Staff</c>); for the local stack, see the README.</summary>
public sealed class StaffAccountsOptions
{
    public const string SectionName = "Identity:Staff";

    public IList<StaffAccount> Accounts { get; } = [];
}

/// <summary>One seeded staff member.</summary>
public sealed class StaffAccount
{
    [Required, EmailAddress]
    public string Email { get; set; } = "";

    [Required]
    public string Name { get; set; } = "";

    [Required]
    public string Password { get; set; } = "";

    /// <summary><c>compliance-officer</c> or <c>operator</c>.</summary>
    [Required]
    public string Role { get; set; } = "";
}

/// <summary>Creates the roles and the configured staff accounts if missing; never overwrites a password someone changed.</summary>
internal sealed class StaffAccountsSeeding(IServiceScopeFactory scopeFactory, IOptions<StaffAccountsOptions> options, TimeProvider clock)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        var accounts = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();

        foreach (var role in PlatformRoles.People)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() }), $"role {role}");
            }
        }

        foreach (var staff in options.Value.Accounts)
        {
            if (staff.Role is not (PlatformRoles.ComplianceOfficer or PlatformRoles.Operator))
            {
                throw new InvalidOperationException(
                    $"{StaffAccountsOptions.SectionName}: '{staff.Email}' has role '{staff.Role}'; staff are {PlatformRoles.ComplianceOfficer} or {PlatformRoles.Operator}.");
            }

            if (await accounts.FindByEmailAsync(staff.Email) is not null)
            {
                continue;
            }

            var account = new Account
            {
                Id = Guid.CreateVersion7(),
                Name = staff.Name,
                Email = staff.Email,
                UserName = staff.Email,
                EmailConfirmed = true,
                CreatedAt = clock.GetUtcNow(),
            };
            Check(await accounts.CreateAsync(account, staff.Password), $"staff account {staff.Email}");
            Check(await accounts.AddToRoleAsync(account, staff.Role), $"role of {staff.Email}");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create {what}: {string.Join(" ", result.Errors.Select(error => error.Description))}");
        }
    }
}
