using Certometer.Auth;
using Certometer.Contracts.Identity;
using Certometer.Identity.Data;
using Certometer.Identity.Profile;
using Certometer.Identity.SignIn;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.Identity.Accounts;

/// <summary>
/// Opening an account. Nobody can sign up with another person's address and keep it: the account waits, unable to sign
/// in and unknown to every other service, until the link sent to the address is opened, and a later sign-up with the
/// same address replaces a waiting one. The answer is the same whether or not the address has an account; the owner
/// of an existing one is told by email instead.
/// </summary>
public sealed class SignUp(
    UserManager<Account> accounts,
    PasswordAttempts passwords,
    IdentityDbContext db,
    TimeProvider clock,
    IOptions<DataProtectionTokenProviderOptions> links)
{
    public const string Source = "registration";

    /// <summary>How soon a waiting account may be replaced, so repeated sign-ups cannot flood an address with links.</summary>
    internal static readonly TimeSpan ResendInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Starts a sign-up for a valid <paramref name="request"/> (checked by the caller). Returns the password policy's
    /// refusals, the only answer that may differ from one address to another: it depends on the password alone.
    /// </summary>
    /// <param name="publicBase">Where this service is reached from outside, for the links.</param>
    public async Task<IReadOnlyList<string>> RequestAsync(RegisterLearnerRequest request, Uri publicBase, CancellationToken cancellationToken)
    {
        var password = request.Password!;
        var candidate = NewAccount(request);
        var weak = new List<string>();
        foreach (var validator in accounts.PasswordValidators)
        {
            var result = await validator.ValidateAsync(accounts, candidate, password);
            weak.AddRange(result.Errors.Select(error => error.Description));
        }

        if (weak.Count > 0)
        {
            return weak;
        }

        // Two sign-ups for one address at the same moment: the unique index lets one through, and the other, tried
        // again, finds the account that won waiting and answers the same way.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.InTransactionAsync(ct => RequestOnceAsync(request, publicBase, ct), cancellationToken);
                return [];
            }
            catch (Exception exception) when (attempt < 3 && (exception is AddressRaceLost || (exception is DbUpdateException update && update.IsUniqueViolation())))
            {
            }
        }
    }

    private async Task RequestOnceAsync(RegisterLearnerRequest request, Uri publicBase, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var existing = await accounts.FindByEmailAsync(request.Email!.Trim());
        if (existing is { EmailConfirmed: true })
        {
            // The same password work as a new account costs, so the answer's time does not tell either.
            passwords.SpendOneHash(request.Password!);
            if (existing.LockedForErasureAt is null)
            {
                db.AddIntegrationEvent(
                    new SignUpAttemptedForExistingAccount(
                        existing.Id, existing.Email!, existing.Name, existing.PreferredLanguage, PublicLinks.To(publicBase, "/account/login"), now),
                    clock);
                await db.SaveAndCommitAsync(cancellationToken);
            }

            return;
        }

        if (existing is not null)
        {
            if (existing.CreatedAt > now - ResendInterval)
            {
                // The link sent a moment ago still works.
                passwords.SpendOneHash(request.Password!);
                return;
            }

            // Nothing was ever published for a waiting account, so deleting it forgets it everywhere.
            await accounts.DeleteAsync(existing);
        }

        var account = NewAccount(request);
        account.CreatedAt = now;
        account.SignUpMarketingConsent = request.MarketingConsent;
        account.SignUpAnalyticsConsent = request.AnalyticsConsent;
        Succeeded(await accounts.CreateAsync(account, request.Password!));
        Succeeded(await accounts.AddToRoleAsync(account, PlatformRoles.Learner));
        var token = await accounts.GenerateEmailConfirmationTokenAsync(account);
        db.AddIntegrationEvent(
            new SignUpConfirmationRequested(
                account.Id,
                account.Email!,
                account.PreferredLanguage,
                PublicLinks.To(publicBase, AddressConfirmation.Path, account.Id, token),
                now + links.Value.TokenLifespan,
                now),
            clock);
        await db.SaveAndCommitAsync(cancellationToken);
    }

    /// <summary>
    /// Makes the waiting account <paramref name="accountId"/> a learner's: from here it signs in, and every service hears
    /// of the registration and the consent choices made at sign-up. Null when the account is not waiting for this.
    /// </summary>
    public async Task<AddressConfirmationOutcome?> ConfirmAsync(Guid accountId, string token, CancellationToken cancellationToken) =>
        await db.InTransactionAsync<AddressConfirmationOutcome?>(
            async ct =>
            {
                var account = await accounts.FindByIdAsync(accountId.ToString());
                if (account is null || account.EmailConfirmed)
                {
                    return null;
                }

                var now = clock.GetUtcNow();
                if (account.CreatedAt + links.Value.TokenLifespan <= now
                    || !(await accounts.ConfirmEmailAsync(account, token)).Succeeded)
                {
                    return AddressConfirmationOutcome.InvalidLink;
                }

                db.AddIntegrationEvent(new LearnerRegistered(account.Id, account.Name, account.Email!, account.PreferredLanguage, now), clock);
                // Recorded at the moment they were made, under the policy the person read while signing up.
                db.AddIntegrationEvent(
                    new ConsentChoicesRecorded(account.Id, account.SignUpMarketingConsent, account.SignUpAnalyticsConsent, Source, account.CreatedAt),
                    clock);
                account.SignUpMarketingConsent = null;
                account.SignUpAnalyticsConsent = null;
                await db.SaveAndCommitAsync(ct);
                return AddressConfirmationOutcome.Confirmed;
            },
            cancellationToken);

    private static Account NewAccount(RegisterLearnerRequest request)
    {
        var account = new Account
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name!.Trim(),
            Email = request.Email!.Trim(),
            UserName = request.Email!.Trim(),
        };
        ProfileRules.ApplyOptionalFields(account, request);
        return account;
    }

    // The password was validated before; what is left to refuse is an address another sign-up took a moment ago.
    private static void Succeeded(IdentityResult result)
    {
        if (result.Errors.Any(error => error.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            throw new AddressRaceLost();
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Sign-up refused after validation: {string.Join(", ", result.Errors.Select(error => error.Code))}");
        }
    }

    private sealed class AddressRaceLost : Exception;
}
