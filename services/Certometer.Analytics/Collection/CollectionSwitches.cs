using Certometer.Analytics.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Analytics.Collection;

/// <summary>
/// Reads and flips the per-pseudonym collection switch. Consent, its refusal or withdrawal, and an objection all reach
/// it as the consent ledger's <see cref="Contracts.Privacy.ConsentsInForce"/> (<see cref="RecordChoiceAsync"/>); restriction is
/// a separate flag, because lifting a restriction must not undo a refusal and a new consent must not lift a restriction.
/// </summary>
internal static class CollectionSwitches
{
    /// <summary>
    /// Signed-in usage is collected only after a recorded yes, and never while restricted: nothing is assumed. In a
    /// transaction, the switch stays locked against change (a withdrawal, a restriction) until it commits.
    /// </summary>
    public static async Task<bool> AllowCollectionAsync(AnalyticsDbContext db, string pseudonym, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<bool>(
            $"""
            SELECT collection_allowed IS TRUE AND NOT restricted AS "Value" FROM collection_switches
            WHERE pseudonym = {pseudonym}
            FOR SHARE
            """).ToListAsync(cancellationToken)).SingleOrDefault();

    /// <summary>
    /// Records the state the consent ledger put in force unless a later one (higher <paramref name="sequence"/>) is
    /// already recorded, so a late message never flips a newer choice, whatever the clocks say.
    /// </summary>
    public static Task RecordChoiceAsync(
        AnalyticsDbContext db, string pseudonym, bool? collectionAllowed, long sequence, DateTimeOffset recordedAt, CancellationToken cancellationToken) =>
        // One statement, so two deliveries racing for the same pseudonym cannot both insert.
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO collection_switches (pseudonym, collection_allowed, choice_made_at, consent_sequence, restricted)
            VALUES ({pseudonym}, {collectionAllowed}, {recordedAt}, {sequence}, false)
            ON CONFLICT (pseudonym) DO UPDATE
            SET collection_allowed = excluded.collection_allowed, choice_made_at = excluded.choice_made_at, consent_sequence = excluded.consent_sequence
            WHERE collection_switches.consent_sequence < excluded.consent_sequence
            """,
            cancellationToken);

    public static Task SetRestrictedAsync(AnalyticsDbContext db, string pseudonym, bool restricted, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO collection_switches (pseudonym, collection_allowed, choice_made_at, consent_sequence, restricted)
            VALUES ({pseudonym}, NULL, NULL, 0, {restricted})
            ON CONFLICT (pseudonym) DO UPDATE SET restricted = excluded.restricted
            """,
            cancellationToken);
}
