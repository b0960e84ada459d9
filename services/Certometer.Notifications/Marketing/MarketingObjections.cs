using Certometer.Notifications.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Marketing;

/// <summary>
/// An objection to marketing follows the person to every address Notifications learns for them, as a keyed hash on the
/// suppression list, so it still holds after they are erased and register again with it.
/// </summary>
internal static class MarketingObjections
{
    public static async Task SuppressIfObjectedAsync(
        NotificationsDbContext db, AddressHasher hasher, Guid subjectId, string address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var objectedAt = await db.SubjectSettings.Where(s => s.SubjectId == subjectId).Select(s => s.MarketingObjectedAt).SingleOrDefaultAsync(cancellationToken);
        var hash = hasher.Hash(address);
        if (objectedAt is not null && !await db.SuppressionList.AnyAsync(s => s.AddressHash == hash, cancellationToken))
        {
            db.SuppressionList.Add(new SuppressedAddress { AddressHash = hash, Reason = "objected", SuppressedAt = now });
        }
    }
}
