using Certometer.Contracts.Identity;
using Certometer.Identity.Data;
using Certometer.Messaging.Inbox;
using Certometer.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Certometer.Identity.Accounts;

/// <summary>
/// Locks an account before its erasure, so no new data arrives while the holders erase: sign-in is refused from now
/// on, and every refresh token, authorization code and app authorization the subject holds is revoked in the same
/// transaction. Access tokens already issued expire within their short lifetime.
/// </summary>
internal sealed class AccountLockRequestedConsumer(IdentityDbContext db, TimeProvider clock)
    : IdempotentConsumer<AccountLockRequested, IdentityDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<AccountLockRequested> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        var now = clock.GetUtcNow();
        var account = await Db.Users.SingleOrDefaultAsync(a => a.Id == request.SubjectId, cancellationToken);
        var revoked = 0;
        if (account is not null)
        {
            account.LockedForErasureAt ??= now;
            account.LockoutEnabled = true;
            account.LockoutEnd = DateTimeOffset.MaxValue;
            // A new security stamp invalidates the sign-in cookie too, wherever it is.
            account.SecurityStamp = Guid.NewGuid().ToString("N");
            revoked = await AccountTokens.RevokeAsync(Db, request.SubjectId, cancellationToken);
        }

        // The address travels once, to PrivacyRights, which needs it to tell the subject when the erasure completes.
        Db.AddIntegrationEvent(
            new AccountLocked(request.RequestId, request.SubjectId, account is not null, revoked, now, account?.Email, account?.PreferredLanguage),
            clock);
    }
}

/// <summary>OpenIddict's stored tokens and authorizations for one subject.</summary>
internal static class AccountTokens
{
    public static async Task<int> RevokeAsync(IdentityDbContext db, Guid subjectId, CancellationToken cancellationToken)
    {
        var subject = subjectId.ToString();
        var tokens = await db.Set<OpenIddictEntityFrameworkCoreToken<Guid>>()
            .Where(token => token.Subject == subject && token.Status != Statuses.Revoked)
            .ExecuteUpdateAsync(token => token.SetProperty(t => t.Status, Statuses.Revoked), cancellationToken);
        await db.Set<OpenIddictEntityFrameworkCoreAuthorization<Guid>>()
            .Where(authorization => authorization.Subject == subject && authorization.Status != Statuses.Revoked)
            .ExecuteUpdateAsync(authorization => authorization.SetProperty(a => a.Status, Statuses.Revoked), cancellationToken);
        return tokens;
    }

    public static async Task<int> DeleteAsync(IdentityDbContext db, Guid subjectId, CancellationToken cancellationToken)
    {
        var subject = subjectId.ToString();
        var tokens = await db.Set<OpenIddictEntityFrameworkCoreToken<Guid>>()
            .Where(token => token.Subject == subject)
            .ExecuteDeleteAsync(cancellationToken);
        var authorizations = await db.Set<OpenIddictEntityFrameworkCoreAuthorization<Guid>>()
            .Where(authorization => authorization.Subject == subject)
            .ExecuteDeleteAsync(cancellationToken);
        return tokens + authorizations;
    }
}
