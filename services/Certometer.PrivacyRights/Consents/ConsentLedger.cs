using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using Certometer.Messaging.Outbox;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Policies;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Consents;

/// <summary>
/// The one writer of consent: appends each choice, wherever it was made, and tells every service what is now in force
/// (<see cref="ConsentsInForce"/>) with a per-subject sequence they apply in order.
/// </summary>
/// <remarks>
/// Choices for one subject are recorded one at a time (a transaction-scoped advisory lock on the subject's pseudonym),
/// so each gets the next sequence number and each published state includes every earlier choice. Services never
/// compare clocks: a withdrawal recorded after a consent has the higher sequence, however the two messages travel.
/// </remarks>
internal sealed class ConsentLedger(PrivacyRightsDbContext db, SubjectPseudonyms pseudonyms, TimeProvider clock)
{
    public const string Marketing = "marketing";
    public const string Analytics = "analytics";
    public const string RegistrationSource = "registration";
    public const string PrivacyCentreSource = "privacy-centre";
    public const string ObjectionSource = "objection";

    /// <summary>Appends the choices that were made (null: none for that kind) and stages the state now in force. Call inside a transaction.</summary>
    public async Task<ConsentsInForce> RecordAsync(
        Guid subjectId, bool? marketing, bool? analytics, string source, DateTimeOffset madeAt, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Consent choices are recorded only inside the transaction that publishes them.");
        }

        // Pseudonymous so the proof of consent survives the subject's erasure without identifying them.
        var subject = pseudonyms.Of(subjectId);
        var lockName = $"consent-ledger:{subject}";
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({lockName}, 0))", cancellationToken);
        var earlier = await db.ConsentLedger.AsNoTracking()
            .Where(c => c.SubjectPseudonym == subject)
            .Select(c => new LedgerChoice(c.Kind, c.Given, c.Sequence, c.TookEffect))
            .ToListAsync(cancellationToken);
        var update = Decide(earlier, marketing, analytics, source);

        // The version in force when the choice was made, not when the message happened to arrive.
        var policyVersion = await db.PolicyVersions.AsNoTracking().InForceAt(madeAt).Select(p => p.Version).SingleOrDefaultAsync(cancellationToken);
        foreach (var choice in update.Appended)
        {
            db.ConsentLedger.Add(new ConsentLedgerEntry
            {
                SubjectPseudonym = subject,
                Kind = choice.Kind,
                Given = choice.Given,
                Source = source,
                PolicyVersion = policyVersion,
                RecordedAt = madeAt,
                Sequence = choice.Sequence,
                TookEffect = choice.TookEffect,
            });
        }

        var state = new ConsentsInForce(subjectId, update.Marketing, update.Analytics, update.Sequence, clock.GetUtcNow());
        db.AddIntegrationEvent(state, clock);
        return state;
    }

    /// <summary>
    /// What recording <paramref name="marketing"/> and <paramref name="analytics"/> (null: no choice of that kind) does to a
    /// subject's ledger of <paramref name="earlier"/> choices: the entries to append, each with the next sequence, and the
    /// state then in force — the latest choice of each kind that took effect.
    /// </summary>
    internal static LedgerUpdate Decide(IReadOnlyCollection<LedgerChoice> earlier, bool? marketing, bool? analytics, string source)
    {
        var sequence = earlier.Count == 0 ? 0 : earlier.Max(e => e.Sequence);
        var inForce = new Dictionary<string, bool>();
        foreach (var entry in earlier.Where(e => e.TookEffect).OrderBy(e => e.Sequence))
        {
            inForce[entry.Kind] = entry.Given;
        }

        var appended = new List<LedgerChoice>();
        foreach (var (kind, given) in new[] { (Marketing, marketing), (Analytics, analytics) })
        {
            if (given is not { } choice)
            {
                continue;
            }

            // A registration choice is the subject's first; one reaching the ledger after a choice made elsewhere (the
            // account's events were slow) is history, and must not overrule what the subject chose since.
            var tookEffect = source != RegistrationSource || earlier.All(e => e.Kind != kind);
            appended.Add(new LedgerChoice(kind, choice, ++sequence, tookEffect));
            if (tookEffect)
            {
                inForce[kind] = choice;
            }
        }

        return new LedgerUpdate(
            appended,
            inForce.TryGetValue(Marketing, out var m) ? m : null,
            inForce.TryGetValue(Analytics, out var a) ? a : null,
            sequence);
    }
}

/// <summary>One choice in a subject's ledger, as the next one is decided against it.</summary>
internal sealed record LedgerChoice(string Kind, bool Given, long Sequence, bool TookEffect);

/// <summary>The choices a recording appends and the state in force after it, with the last sequence in the ledger.</summary>
internal sealed record LedgerUpdate(IReadOnlyList<LedgerChoice> Appended, bool? Marketing, bool? Analytics, long Sequence);

/// <summary>Records the choices made at registration or in Notifications' preferences: once per message however often delivered.</summary>
internal sealed class ConsentChoicesRecordedConsumer(PrivacyRightsDbContext db, ConsentLedger ledger)
    : IdempotentConsumer<ConsentChoicesRecorded, PrivacyRightsDbContext>(db)
{
    protected override Task HandleOnceAsync(ConsumeContext<ConsentChoicesRecorded> context, CancellationToken cancellationToken)
    {
        var choices = context.Message;
        return ledger.RecordAsync(choices.SubjectId, choices.Marketing, choices.Analytics, choices.Source, choices.RecordedAt, cancellationToken);
    }
}
