using Certometer.Analytics.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Analytics.Collection;

/// <summary>
/// Reads and flips the per-pseudonym collection switch. Consent, its refusal or withdrawal, and an objection (see
/// <see cref="ObjectionToAnalyticsConsumer"/>) all land in <see cref="RecordChoiceAsync"/>; restriction is a separate flag, because lifting a
/// restriction must not undo a refusal and a new consent must not lift a restriction.
/// </summary>
internal static class CollectionSwitches
{
    /// <summary>Signed-in usage is collected only after a recorded yes, and never while restricted: nothing is assumed.</summary>
    public static Task<bool> AllowCollectionAsync(AnalyticsDbContext db, string pseudonym, CancellationToken cancellationToken) =>
        db.CollectionSwitches.AnyAsync(s => s.Pseudonym == pseudonym && s.CollectionAllowed == true && !s.Restricted, cancellationToken);

    /// <summary>Records a choice unless a newer one is already recorded, so a late, older message never flips a newer choice.</summary>
    public static Task RecordChoiceAsync(
        AnalyticsDbContext db, string pseudonym, bool collectionAllowed, DateTimeOffset madeAt, CancellationToken cancellationToken) =>
        // One statement, so two deliveries racing for the same pseudonym cannot both insert.
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO collection_switches (pseudonym, collection_allowed, choice_made_at, restricted)
            VALUES ({pseudonym}, {collectionAllowed}, {madeAt}, false)
            ON CONFLICT (pseudonym) DO UPDATE
            SET collection_allowed = excluded.collection_allowed, choice_made_at = excluded.choice_made_at
            WHERE collection_switches.choice_made_at IS NULL OR collection_switches.choice_made_at < excluded.choice_made_at
            """,
            cancellationToken);

    public static Task SetRestrictedAsync(AnalyticsDbContext db, string pseudonym, bool restricted, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO collection_switches (pseudonym, collection_allowed, choice_made_at, restricted)
            VALUES ({pseudonym}, NULL, NULL, {restricted})
            ON CONFLICT (pseudonym) DO UPDATE SET restricted = excluded.restricted
            """,
            cancellationToken);
}
