using Certometer.Contracts.Privacy;
using Certometer.Messaging.DeadLetters;
using Microsoft.EntityFrameworkCore;

namespace Certometer.HolderContract;

/// <summary>
/// Messages naming the subject that the service failed to consume and parked as dead letters. Erased with the rest,
/// once for every service: a failed rectification or registration would otherwise keep the subject's values, and
/// replaying it would bring them back.
/// </summary>
public static class DeadLetterCopies
{
    /// <summary>The inventory category every holder declares (added at registration) and reports on every erasure receipt.</summary>
    public static PersonalDataCategory Category { get; } = new(
        Name: "dead-letters",
        Fields: ["whatever about the subject a message this service could not consume carried"],
        Purpose: "Replaying a message after its failure is fixed; parked messages are deleted after Messaging:DeadLetterRetention anyway.",
        OnErasure: ErasureAction.Erase,
        Exported: false);

    /// <summary>Deletes the dead letters naming <paramref name="subjectId"/>; returns how many.</summary>
    public static Task<int> EraseAsync(DbContext db, Guid subjectId, CancellationToken cancellationToken) =>
        ParkedDeadLetters.DeleteNamingAsync(db, [subjectId.ToString()], cancellationToken);
}
