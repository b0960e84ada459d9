using Certometer.PrivacyRights.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certometer.PrivacyRights.Audit;

/// <summary>Links staged audit entries into the chain on every save of PrivacyRights' context (see <see cref="AuditChain.SealStagedAsync"/>).</summary>
internal sealed class AuditChainSealing(AuditChain chain) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is PrivacyRightsDbContext db)
        {
            await chain.SealStagedAsync(db, cancellationToken);
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is PrivacyRightsDbContext db && db.ChangeTracker.Entries<AuditEntry>().Any(e => e.Entity.Sequence < 0))
        {
            throw new InvalidOperationException("Audit entries are saved only with SaveChangesAsync, which links them into the chain.");
        }

        return result;
    }
}
