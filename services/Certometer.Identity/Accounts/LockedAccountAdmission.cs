using Certometer.Auth;
using Certometer.Identity.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.Accounts;

/// <summary>
/// Refuses every API call made with a token of an account locked for erasure. The lock revokes stored tokens, but an
/// access token is checked by signature and lasts until it expires; without this, one issued a minute before the lock
/// could still read or change the profile while the erasure runs.
/// </summary>
internal sealed class LockedAccountAdmission(IdentityDbContext db) : ISubjectAdmission
{
    public async ValueTask<string?> RefusalAsync(Guid subjectId, CancellationToken cancellationToken) =>
        await db.Users.AnyAsync(a => a.Id == subjectId && a.LockedForErasureAt != null, cancellationToken)
            ? "The account this token was issued to is locked while it is being erased."
            : null;
}
