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
            .Select(c => new { c.Kind, c.Given, c.Sequence, c.TookEffect })
            .ToListAsync(cancellationToken);
        var sequence = earlier.Count == 0 ? 0 : earlier.Max(e => e.Sequence);
        var inForce = new Dictionary<string, bool>();
        foreach (var entry in earlier.Where(e => e.TookEffect).OrderBy(e => e.Sequence))
        {
            inForce[entry.Kind] = entry.Given;
        }

        // The version in force when the choice was made, not when the message happened to arrive.
        var policyVersion = await db.PolicyVersions.AsNoTracking().InForceAt(madeAt).Select(p => p.Version).SingleOrDefaultAsync(cancellationToken);
        foreach (var (kind, given) in new[] { (Marketing, marketing), (Analytics, analytics) })
        {
            if (given is not { } choice)
            {
                continue;
            }

            // A registration choice is the subject's first; one reaching the ledger after a choice made elsewhere (the
            // account's events were slow) is history, and must not overrule what the subject chose since.
            var tookEffect = source != RegistrationSource || earlier.All(e => e.Kind != kind);
            db.ConsentLedger.Add(new ConsentLedgerEntry
            {
                SubjectPseudonym = subject,
                Kind = kind,
                Given = choice,
                Source = source,
                PolicyVersion = policyVersion,
                RecordedAt = madeAt,
                Sequence = ++sequence,
                TookEffect = tookEffect,
            });
            if (tookEffect)
            {
                inForce[kind] = choice;
            }
        }

        var state = new ConsentsInForce(
            subjectId,
            inForce.TryGetValue(Marketing, out var m) ? m : null,
            inForce.TryGetValue(Analytics, out var a) ? a : null,
            sequence,
            clock.GetUtcNow());
        db.AddIntegrationEvent(state, clock);
        return state;
    }
}

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
