using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.Messaging.DeadLetters;
using Certometer.Messaging.Inbox;
using Certometer.PrivacyRights.Requests;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

/// <summary>
/// Only the real holder can answer PrivacyRights: an answer counts only when signed by the key of the service it names.
/// "Another holder's key" is PrivacyRights' own answer key, the one holder key here that is not a stand-in's.
/// </summary>
public sealed class AnswerSignatureTests(WorkflowService service) : IClassFixture<WorkflowService>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string AnotherHoldersKey = RunningService.HolderSigningKey;

    public static TheoryData<string> Forgeries =>
    [
        "no signature",
        "another holder's signature, naming itself",
        "another holder's signature, naming the holder",
        "a key no holder has",
        "the holder's signature of another receipt",
    ];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_receipt_not_signed_by_the_holder_it_names_is_dropped_without_a_trace_and_the_erasure_still_waits_for_that_holder(string forgery)
    {
        using var refusals = new RefusedAnswers();
        var request = await ErasureAwaitingHoldersAsync();
        var forged = PrivacyApi.Receipt(request.Id, "learning", rows: 99);
        var messageId = forgery switch
        {
            "no signature" => await PublishAsync(forged, signature: "", signer: null),
            "another holder's signature, naming itself" => await PublishAsync(forged, Sign(forged, AnotherHoldersKey), PrivacyRightsHost.PrivacyRightsHolder),
            "another holder's signature, naming the holder" => await PublishAsync(forged, Sign(forged, AnotherHoldersKey), "learning"),
            "a key no holder has" => await PublishAsync(forged, Sign(forged, RunningService.ForgerSigningKey), "learning"),
            "the holder's signature of another receipt" => await PublishAsync(
                forged, Sign(PrivacyApi.Receipt(request.Id, "learning", rows: 0), RunningService.StandInSigningKey), "learning"),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        (await service.RequestDetailAsync(request.Id)).Holders.Single(h => h.Service == "learning").AnsweredAt.ShouldBeNull();
        (await service.AuditActionsAsync(request.Id)).ShouldNotContain("Answered:learning");
        (await KeptTraceOfAsync(messageId)).ShouldBeFalse("a refused answer is neither recorded in the inbox nor parked to be replayed");
        refusals.Of(nameof(SubjectErased), "learning").ShouldBe(1);

        // The holder's own receipt still counts, and it is the one recorded.
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 4));
        var answered = await service.WaitForRequestAsync(
            request.Id, d => d.Holders.Single(h => h.Service == "learning").AnsweredAt is not null, "the genuine receipt is recorded");
        answered.Holders.Single(h => h.Service == "learning").Answer!.Value.GetProperty("lines")[0].GetProperty("rows").GetInt32().ShouldBe(4);
    }

    [Theory]
    [InlineData(PrivacyRightsHost.PrivacyRightsHolder)]
    [InlineData(AccountLocked.Locker)]
    public async Task An_account_lock_signed_by_any_service_but_Identity_is_dropped_and_the_erasure_asks_no_holder_until_Identity_answers(string namedSigner)
    {
        var subject = Guid.NewGuid();
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Erasure);
        var forged = new AccountLocked(request.Id, subject, AccountFound: true, TokensRevoked: 0, DateTimeOffset.UtcNow, "forged@example.test", "en");

        await PublishAsync(forged, Sign(forged, AnotherHoldersKey), namedSigner);

        var waiting = await service.RequestDetailAsync(request.Id);
        waiting.Request.Stage.ShouldBe(WorkflowStage.LockingAccount);
        waiting.AccountLock!.LockedAt.ShouldBeNull();
        waiting.Holders.ShouldBeEmpty("no holder is asked before the account is locked");
        // The same lock, signed by Identity, starts the erasure.
        await service.PublishAsync(forged);
        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.AwaitingHolders, "Identity's own lock starts the erasure");
    }

    [Fact]
    public async Task An_export_part_signed_by_another_holder_never_reaches_the_subjects_package()
    {
        var subject = Guid.NewGuid();
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Access);
        var injected = new SubjectDataExported(request.Id, "learning", """{"injected":"another person's records"}""", 1, DateTimeOffset.UtcNow, subject);
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Count == 3, "every registered holder is asked");

        await PublishAsync(injected, Sign(injected, AnotherHoldersKey), "learning");

        (await service.InDatabaseAsync(db => db.ExportParts.CountAsync(p => p.RequestId == request.Id && p.Service == "learning", Cancel))).ShouldBe(0);
        await service.PublishAsync(new SubjectDataExported(request.Id, "learning", """{"enrollments":[]}""", 0, DateTimeOffset.UtcNow, subject));
        await service.PublishAsync(new SubjectDataExported(request.Id, "payments", """{"invoices":[]}""", 0, DateTimeOffset.UtcNow, subject));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Status == PrivacyRequestStatus.Completed, "every genuine part arrived");
        using var owner = service.ClientFor(subject);
        var package = await owner.GetStringAsync($"/api/privacy/me/requests/{request.Id}/package", Cancel);
        package.ShouldNotContain("injected");
        package.ShouldContain("enrollments");
    }

    [Fact]
    public async Task An_inventory_declared_in_another_holders_name_or_by_a_service_without_a_key_changes_nothing_in_the_registry()
    {
        using var refusals = new RefusedAnswers();
        var takeover = Declaration("payments", "forged-category");
        var newcomer = Declaration("shadow-holder", "shadow-category");

        await PublishAsync(takeover, Sign(takeover, AnotherHoldersKey), "payments");
        // Signed as a stand-in would sign it, but PrivacyRights has no key for this service.
        await PublishAsync(newcomer, Sign(newcomer, RunningService.StandInSigningKey), "shadow-holder");

        var payments = await service.InDatabaseAsync(db => db.PersonalDataHolders.AsNoTracking().SingleAsync(h => h.Service == "payments", Cancel));
        payments.Categories.ShouldContain("payments-records");
        payments.Categories.ShouldNotContain("forged-category");
        (await service.InDatabaseAsync(db => db.PersonalDataHolders.AnyAsync(h => h.Service == "shadow-holder", Cancel))).ShouldBeFalse();
        refusals.Of(nameof(PersonalDataInventoryDeclared), "payments").ShouldBe(1);
        refusals.Of(nameof(PersonalDataInventoryDeclared), "unknown").ShouldBe(1, "a name PrivacyRights has no key for is not repeated in logs or metrics");
    }

    [Fact]
    public async Task A_completion_notice_not_signed_by_Notifications_leaves_the_erasure_waiting_with_the_address_to_write_to()
    {
        var subject = Guid.NewGuid();
        var address = $"notice-{subject:N}@example.test";
        var request = await ErasureAwaitingHoldersAsync(subject, address);
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 1));
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "payments", rows: 1));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.NotifyingSubject, "the erasure completes and waits to tell the subject");
        var forged = new PrivacyNoticeDelivered(request.Id, PrivacyNotice.RequestCompleted, DateTimeOffset.UtcNow);

        await PublishAsync(forged, Sign(forged, AnotherHoldersKey), PrivacyNoticeDelivered.Sender);

        var waiting = await service.RequestDetailAsync(request.Id);
        waiting.Request.Stage.ShouldBe(WorkflowStage.NotifyingSubject);
        waiting.Request.ContactEmail.ShouldBe(address, "the subject has not been told yet");
        await service.PublishAsync(forged);
        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.Closed, "Notifications' own notice closes the erasure");
    }

    private async Task<PrivacyRequestResponse> ErasureAwaitingHoldersAsync(Guid? subjectId = null, string? address = null)
    {
        var subject = subjectId ?? Guid.NewGuid();
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Erasure);
        await service.PublishAsync(new AccountLocked(request.Id, subject, AccountFound: true, TokensRevoked: 0, DateTimeOffset.UtcNow, address, "en"));
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Count == 3, "every registered holder is asked");
        return request;
    }

    private static PersonalDataInventoryDeclared Declaration(string holder, string category) => new(
        holder,
        [new PersonalDataCategory(category, ["subject id"], "Testing forged declarations.", ErasureAction.Erase, Exported: true)],
        "Stops processing.",
        DateTimeOffset.UtcNow);

    private static string Sign(object message, string privateKey)
    {
        using var key = EnvelopeSignature.LoadKey(privateKey, isPrivate: true);
        return EnvelopeSignature.Sign(key, message);
    }

    /// <summary>Publishes with the given signature headers, as a forger on the broker would, and waits until PrivacyRights is done with it.</summary>
    private async Task<Guid> PublishAsync<T>(T message, string signature, string? signer)
        where T : class
    {
        var messageId = Guid.NewGuid();
        await service.Factory.Services.GetRequiredService<IBus>().Publish(
            message,
            context =>
            {
                context.MessageId = messageId;
                context.Headers.Set(EnvelopeSignature.Header, signature);
                if (signer is not null)
                {
                    context.Headers.Set(EnvelopeSignature.SignerHeader, signer);
                }
            },
            Cancel);
        await service.Factory.Services.GetRequiredService<ConsumedMessages>().WaitAsync(messageId, 1, Cancel);
        return messageId;
    }

    private Task<bool> KeptTraceOfAsync(Guid messageId) => service.InDatabaseAsync(async db =>
        await db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId, Cancel)
        || await db.Set<DeadLetter>().AnyAsync(d => d.MessageId == messageId, Cancel));

    /// <summary>Counts <c>certometer.privacy.answers_refused</c> as recorded from now on, by message type and claimed service.</summary>
    private sealed class RefusedAnswers : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string? Type, string? Service)> _refused = new();

        public RefusedAnswers()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument is { Name: "certometer.privacy.answers_refused", Meter.Name: "Certometer.HolderContract" })
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                string? type = null, claimed = null;
                foreach (var tag in tags)
                {
                    type = tag.Key == "message_type" ? tag.Value as string : type;
                    claimed = tag.Key == "claimed_service" ? tag.Value as string : claimed;
                }

                _refused.Enqueue((type, claimed));
            });
            _listener.Start();
        }

        public int Of(string messageType, string claimedService) => _refused.Count(r => r.Type == messageType && r.Service == claimedService);

        public void Dispose() => _listener.Dispose();
    }
}
