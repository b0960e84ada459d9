using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Compliance;
using Certometer.PrivacyRights.Requests;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Tests;

/// <summary>The persisted workflow, with the tests playing Identity, Notifications and two holders over the real broker.</summary>
public sealed class WorkflowTests(WorkflowService service) : IClassFixture<WorkflowService>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Erasure_locks_the_account_before_asking_any_holder_completes_only_when_every_holder_answered_and_then_forgets_the_subject()
    {
        var subject = Guid.NewGuid();
        var address = $"erase-{subject:N}@example.test";
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Erasure);

        var staged = await service.StagedEventsAsync(request.Id);
        staged.ShouldContain(typeof(AccountLockRequested).FullName + ", Certometer.Contracts");
        staged.ShouldNotContain(t => t.StartsWith(typeof(SubjectErasureRequested).FullName!, StringComparison.Ordinal));
        (await service.RequestDetailAsync(request.Id)).Request.Stage.ShouldBe(WorkflowStage.LockingAccount);

        await service.PublishAsync(new AccountLocked(request.Id, subject, AccountFound: true, TokensRevoked: 2, Now, address, "de"));
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Count == 3, "every registered holder is asked");
        // PrivacyRights answers for itself through the broker like any holder; the stand-ins are still silent.
        var waiting = await service.WaitForRequestAsync(
            request.Id, d => d.Holders.Single(h => h.Service == WorkflowService.PrivacyRightsHolder).AnsweredAt is not null, "PrivacyRights answers itself");
        waiting.Request.Status.ShouldBe(PrivacyRequestStatus.InProgress);

        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 4));
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Single(h => h.Service == "learning").AnsweredAt is not null, "learning's receipt is recorded");
        (await service.RequestDetailAsync(request.Id)).Request.Status.ShouldBe(PrivacyRequestStatus.InProgress, "one holder is still silent");

        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "payments", rows: 2));
        var completed = await service.WaitForRequestAsync(request.Id, d => d.Request.Status == PrivacyRequestStatus.Completed, "the last receipt completes the request");
        completed.Request.Stage.ShouldBe(WorkflowStage.NotifyingSubject);
        completed.Holders.Single(h => h.Service == "learning").Answer!.Value.GetProperty("lines")[0].GetProperty("rows").GetInt32().ShouldBe(4);
        var told = (await service.InDatabaseAsync(db => db.StagedEventsAsync<PrivacyRequestCompleted>())).Single(e => e.RequestId == request.Id);
        told.ContactEmail.ShouldBe(address);
        told.PreferredLanguage.ShouldBe("de");

        await service.PublishAsync(new PrivacyNoticeDelivered(request.Id, PrivacyNotice.RequestCompleted, Now));
        var closed = await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.Closed, "the contact address is dropped once the subject was told");
        closed.Request.ContactEmail.ShouldBeNull();
        closed.Request.SubjectId.ShouldBe(PrivacyRequest.ForgottenSubject);

        // What is left is evidence for nobody: neither the subject id nor the address is anywhere in the database.
        await Eventually.HoldsAsync(
            async () =>
            {
                var scan = await DatabaseScan.ReadAsync(service.DatabaseConnectionString, TestContext.Current.CancellationToken);
                return scan.ColumnsContaining(subject.ToString(), StringComparison.OrdinalIgnoreCase).Count == 0
                    && scan.ColumnsContaining(address, StringComparison.OrdinalIgnoreCase).Count == 0;
            },
            "the sent messages naming the subject are deleted too",
            cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_repeated_erasure_ask_that_reaches_privacy_rights_after_the_erasure_completed_leaves_the_erasure_its_address_and_subject()
    {
        var subject = Guid.NewGuid();
        var address = $"late-ask-{subject:N}@example.test";
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Erasure);
        await service.PublishAsync(new AccountLocked(request.Id, subject, AccountFound: true, TokensRevoked: 0, Now, address, "en"));
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Count == 3, "every registered holder is asked");
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 1));
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "payments", rows: 1));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.NotifyingSubject, "the erasure completes and waits to tell the subject");

        // What PrivacyRights' own holder consumer meets after being down: the ask repeated for it while it was silent,
        // delivered once the erasure has already completed. It already answered this request, so it does nothing.
        await service.PublishAsync(new SubjectErasureRequested(request.Id, subject, Now, [WorkflowService.PrivacyRightsHolder]));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        (await service.InDatabaseAsync(db => db.StagedEventsAsync<SubjectErased>())).Count(e => e.RequestId == request.Id)
            .ShouldBe(1, "a holder answers each request once, however often it is asked");

        var completed = await service.RequestDetailAsync(request.Id);
        completed.Request.ContactEmail.ShouldBe(address, "the subject is still to be told");
        completed.Request.SubjectId.ShouldBe(subject, "the erasure forgets its subject itself when it closes");

        await service.PublishAsync(new PrivacyNoticeDelivered(request.Id, PrivacyNotice.RequestCompleted, Now));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.Closed, "the erasure closes once the subject was told");
        await Eventually.HoldsAsync(
            async () =>
            {
                var scan = await DatabaseScan.ReadAsync(service.DatabaseConnectionString, TestContext.Current.CancellationToken);
                return scan.ColumnsContaining(subject.ToString(), StringComparison.OrdinalIgnoreCase).Count == 0
                    && scan.ColumnsContaining(address, StringComparison.OrdinalIgnoreCase).Count == 0;
            },
            "closing forgot the subject everywhere, the sent messages that named them included",
            cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_holder_that_stays_silent_is_asked_again_on_its_own_then_escalated_and_its_late_answer_still_completes_the_request()
    {
        var subject = Guid.NewGuid();
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Restriction);
        await service.PublishAsync(new ProcessingRestrictionApplied(request.Id, "learning", Now));

        var escalated = await service.WaitForRequestAsync(
            request.Id, d => d.Holders.Single(h => h.Service == "payments").EscalatedAt is not null, "the silent holder is escalated");
        escalated.Request.EscalatedAt.ShouldNotBeNull();
        escalated.Holders.Single(h => h.Service == "payments").Attempts.ShouldBeGreaterThan(WorkflowService.EscalateAfterAttempts);
        escalated.Holders.Single(h => h.Service == "learning").Attempts.ShouldBe(1, "a holder that answered is never asked again");
        var repeats = (await service.InDatabaseAsync(db => db.StagedEventsAsync<ProcessingRestrictionRequested>()))
            .Where(e => e.RequestId == request.Id && e.Holders is not null)
            .ToList();
        repeats.ShouldNotBeEmpty();
        repeats.ShouldAllBe(e => e.Holders!.Count == 1 && e.Holders[0] == "payments");

        using var compliance = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        var listed = await compliance.GetFromJsonAsync<PrivacyRequestPage>(
            "/api/privacy/requests?escalated=true&pageSize=100", PrivacyApi.Json, TestContext.Current.CancellationToken);
        listed!.Items.ShouldContain(r => r.Id == request.Id);

        await service.PublishAsync(new ProcessingRestrictionApplied(request.Id, "payments", Now));
        var completed = await service.WaitForRequestAsync(request.Id, d => d.Request.Status == PrivacyRequestStatus.Completed, "the late answer completes it");
        completed.Request.Stage.ShouldBe(WorkflowStage.Closed, "no contact address was given, so nothing waits to be dropped");
    }

    [Fact]
    public async Task A_receipt_delivered_again_or_sent_twice_by_a_holder_counts_once_and_the_first_receipt_stands()
    {
        var subject = Guid.NewGuid();
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Erasure);
        await service.PublishAsync(new AccountLocked(request.Id, subject, AccountFound: false, TokensRevoked: 0, Now));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.AwaitingHolders, "the holders are asked");

        await Task.WhenAll(
            service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 7)),
            service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 7)));
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Single(h => h.Service == "learning").AnsweredAt is not null, "the receipt is recorded");
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 0));
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "payments", rows: 1));
        var completed = await service.WaitForRequestAsync(request.Id, d => d.Request.Status == PrivacyRequestStatus.Completed, "the request completes");

        completed.Holders.Single(h => h.Service == "learning").Answer!.Value.GetProperty("lines")[0].GetProperty("rows").GetInt32().ShouldBe(7);
        var actions = await service.InDatabaseAsync(db => db.AuditEntries.Where(e => e.RequestId == request.Id).Select(e => e.Action).ToListAsync());
        actions.Count(a => a == "Answered:learning").ShouldBe(1);
        actions.Count(a => a == "Completed").ShouldBe(1);
        (await service.InDatabaseAsync(db => db.StagedEventsAsync<PrivacyRequestCompleted>())).Count(e => e.RequestId == request.Id).ShouldBe(1);
        // No account and no address given: nobody is left to tell, so the request closes and forgets the subject at once.
        completed.Request.Stage.ShouldBe(WorkflowStage.Closed);
        completed.Request.SubjectId.ShouldBe(PrivacyRequest.ForgottenSubject);
    }

    [Fact]
    public async Task Access_compiles_every_holders_part_into_one_package_that_only_the_subject_can_download()
    {
        var subject = Guid.NewGuid();
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Access);
        await service.PublishAsync(new SubjectDataExported(request.Id, "learning", """{"enrollments":[{"course":"kubernetes-basics"}]}""", 1, Now, subject));
        await service.PublishAsync(new SubjectDataExported(request.Id, "payments", """{"invoices":[{"number":"INV-1"},{"number":"INV-2"}]}""", 2, Now, subject));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Status == PrivacyRequestStatus.Completed, "every part arrived");

        using var owner = service.ClientFor(subject);
        using var download = await owner.GetAsync($"/api/privacy/me/requests/{request.Id}/package", TestContext.Current.CancellationToken);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var package = JsonDocument.Parse(await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        package.RootElement.GetProperty("subjectId").GetGuid().ShouldBe(subject);
        var parts = package.RootElement.GetProperty("holders").EnumerateArray().ToDictionary(p => p.GetProperty("service").GetString()!);
        parts.Keys.ShouldBe(["learning", "payments", WorkflowService.PrivacyRightsHolder], ignoreOrder: true);
        parts["payments"].GetProperty("data").GetProperty("invoices").GetArrayLength().ShouldBe(2);
        parts[WorkflowService.PrivacyRightsHolder].GetProperty("data").GetProperty("requests")[0].GetProperty("id").GetGuid().ShouldBe(request.Id);

        var summary = await owner.GetStringAsync($"/api/privacy/me/requests/{request.Id}/package/summary", TestContext.Current.CancellationToken);
        summary.ShouldContain("payments: 2 record(s)");
        summary.ShouldContain("learning-records");

        using var stranger = service.ClientFor(Guid.NewGuid());
        using var refused = await stranger.GetAsync($"/api/privacy/me/requests/{request.Id}/package", TestContext.Current.CancellationToken);
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await service.InDatabaseAsync(db => db.ExportParts.CountAsync(p => p.RequestId == request.Id))).ShouldBe(0, "the parts live on only in the package");
    }

    [Fact]
    public async Task A_portability_package_is_refused_for_plain_http_private_and_loopback_targets_and_a_refused_connection_is_audited()
    {
        var subject = Guid.NewGuid();
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Portability);
        await service.PublishAsync(new SubjectDataExported(request.Id, "learning", "{}", 0, Now, subject));
        await service.PublishAsync(new SubjectDataExported(request.Id, "payments", "{}", 0, Now, subject));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Status == PrivacyRequestStatus.Completed, "every part arrived");
        using var owner = service.ClientFor(subject);
        var deliveries = $"/api/privacy/me/requests/{request.Id}/package/deliveries";

        foreach (var target in new[] { "http://receiver.example/import", "https://10.0.0.8/import", "https://169.254.169.254/latest", "https://user:pw@receiver.example/" })
        {
            using var refused = await owner.PostAsJsonAsync(deliveries, new { target }, TestContext.Current.CancellationToken);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, target);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        // A name is only judged once resolved, at connect time: localhost resolves to loopback and nothing is sent.
        using var resolvedToLoopback = await owner.PostAsJsonAsync(deliveries, new { target = "https://localhost/import" }, TestContext.Current.CancellationToken);
        resolvedToLoopback.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var actions = await service.InDatabaseAsync(db => db.AuditEntries.Where(e => e.RequestId == request.Id).Select(e => e.Action).ToListAsync());
        actions.ShouldContain("PackageDeliveryRefused");

        using var stranger = service.ClientFor(Guid.NewGuid());
        using var notTheirs = await stranger.PostAsJsonAsync(deliveries, new { target = "https://receiver.example/import" }, TestContext.Current.CancellationToken);
        notTheirs.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Lifting_a_restriction_asks_no_holder_until_notifications_confirms_the_subject_was_told()
    {
        var subject = Guid.NewGuid();
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.RestrictionLift);
        var telling = await service.RequestDetailAsync(request.Id);
        telling.Request.Stage.ShouldBe(WorkflowStage.TellingSubject);
        telling.Holders.ShouldBeEmpty();
        (await service.StagedEventsAsync(request.Id)).ShouldNotContain(t => t.StartsWith(typeof(ProcessingRestrictionLiftRequested).FullName!, StringComparison.Ordinal));

        await service.PublishAsync(new PrivacyNoticeDelivered(request.Id, PrivacyNotice.RestrictionLifting, Now));
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Count == 3, "the holders are asked to lift once the subject was told");
        await service.PublishAsync(new ProcessingRestrictionLifted(request.Id, "learning", Now));
        await service.PublishAsync(new ProcessingRestrictionLifted(request.Id, "payments", Now));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Status == PrivacyRequestStatus.Completed, "every holder lifted it");
    }

    [Theory]
    [InlineData(PrivacyRequestKind.ObjectionToMarketing)]
    [InlineData(PrivacyRequestKind.ObjectionToAnalytics)]
    public async Task An_objection_takes_effect_at_once_without_compliance_staff_and_the_consent_ledger_withdraws_that_consent(PrivacyRequestKind kind)
    {
        var subject = Guid.NewGuid();
        var request = await service.SubmitAsync(subject, kind);

        request.Status.ShouldBe(PrivacyRequestStatus.Completed);
        var purpose = kind == PrivacyRequestKind.ObjectionToMarketing ? ObjectionPurpose.Marketing : ObjectionPurpose.Analytics;
        var objection = (await service.InDatabaseAsync(db => db.StagedEventsAsync<SubjectObjectedToProcessing>())).Single(e => e.RequestId == request.Id);
        objection.SubjectId.ShouldBe(subject);
        objection.Purpose.ShouldBe(purpose);
        // Services act on consent only as the ledger orders it, so the objection is a withdrawal there too.
        var inForce = (await service.InDatabaseAsync(db => db.StagedEventsAsync<ConsentsInForce>())).Single(e => e.SubjectId == subject);
        (inForce.Marketing, inForce.Analytics).ShouldBe(purpose == ObjectionPurpose.Marketing ? (false, (bool?)null) : ((bool?)null, false));
    }

    [Fact]
    public async Task The_exported_history_lists_every_step_in_order_with_pseudonymous_actors_only()
    {
        var subject = Guid.NewGuid();
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Restriction);
        await service.PublishAsync(new ProcessingRestrictionApplied(request.Id, "learning", Now));
        await service.PublishAsync(new ProcessingRestrictionApplied(request.Id, "payments", Now));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Status == PrivacyRequestStatus.Completed, "the request completes");

        using var compliance = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        var history = await compliance.GetStringAsync($"/api/privacy/requests/{request.Id}/record", TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(history);
        var actions = document.RootElement.GetProperty("audit").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        actions.Take(4).ShouldBe(["Received", "Approved", "Started", "HoldersAsked"]);
        actions.ShouldContain("Answered:payments");
        actions.Last().ShouldBe("Completed");
        document.RootElement.GetProperty("audit").GetRawText().ShouldNotContain(subject.ToString(), Case.Insensitive);
    }

    [Fact]
    public async Task An_erasure_whose_completion_notice_could_not_be_sent_closes_anyway_forgets_the_subject_and_records_why()
    {
        var (request, subject, address) = await ErasureAwaitingNoticeAsync();

        await service.PublishAsync(new PrivacyNoticeFailed(request.Id, PrivacyNotice.RequestCompleted, "Not sent after 8 attempts (SmtpCommandException).", Now));

        var closed = await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.Closed, "the erasure closes without the notice");
        closed.Request.ContactEmail.ShouldBeNull();
        closed.Request.SubjectId.ShouldBe(PrivacyRequest.ForgottenSubject);
        (await service.AuditActionsAsync(request.Id)).ShouldContain("SubjectNotToldOfCompletion:notice-failed");
        await ShouldBeForgottenAsync(subject, address);
    }

    [Fact]
    public async Task An_erasure_that_never_hears_whether_its_completion_notice_went_closes_after_the_notice_timeout()
    {
        var (request, subject, address) = await ErasureAwaitingNoticeAsync();

        // As if Notifications had been silent for longer than PrivacyRights:Workflow:NoticeTimeout (a day by default).
        await service.InDatabaseAsync(db => db.Requests.Where(r => r.Id == request.Id)
            .ExecuteUpdateAsync(update => update.SetProperty(r => r.CompletedAt, DateTimeOffset.UtcNow.AddDays(-2))));

        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.Closed, "the clock closes the erasure once the notice timed out");
        (await service.AuditActionsAsync(request.Id)).ShouldContain("SubjectNotToldOfCompletion:timed-out");
        await ShouldBeForgottenAsync(subject, address);
    }

    [Fact]
    public async Task An_erasure_leaves_none_of_the_free_text_staff_wrote_about_the_subject_nor_the_parts_collected_for_their_open_requests()
    {
        var subject = Guid.NewGuid();
        var marker = $"marker-{subject:N}";
        var denied = await service.SubmitAsync(subject, PrivacyRequestKind.Portability);
        (await service.ComplianceAsync(denied.Id, "deny", $"Denied: {marker} could not show the account was theirs.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var access = await service.ApprovedAsync(subject, PrivacyRequestKind.Access);
        await service.PublishAsync(new SubjectDataExported(access.Id, "learning", $$"""{"note":"{{marker}} in an export part"}""", 1, Now, subject));
        await Eventually.HoldsAsync(
            () => service.InDatabaseAsync(db => db.ExportParts.AnyAsync(p => p.RequestId == access.Id)), "the part is collected", cancellationToken: TestContext.Current.CancellationToken);
        using var officer = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        using var onBehalf = await officer.PostAsJsonAsync(
            "/api/privacy/requests/on-behalf", new { subjectId = subject, kind = "Erasure", verification = $"Passport of {marker} checked in person." }, TestContext.Current.CancellationToken);
        onBehalf.StatusCode.ShouldBe(HttpStatusCode.Created, await onBehalf.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var erasure = await onBehalf.ReadAsync<PrivacyRequestResponse>();
        (await service.ComplianceAsync(erasure.Id, "extend", $"Extended: {marker} holds accounts in three countries.")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await service.ComplianceAsync(erasure.Id, "approve")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await service.PublishAsync(new AccountLocked(erasure.Id, subject, AccountFound: true, TokensRevoked: 0, Now, $"{marker}@example.test", "en"));
        await service.WaitForRequestAsync(erasure.Id, d => d.Holders.Count == 3, "every registered holder is asked");
        await service.PublishAsync(PrivacyApi.Receipt(erasure.Id, "learning", rows: 1));
        await service.PublishAsync(PrivacyApi.Receipt(erasure.Id, "payments", rows: 1));
        await service.WaitForRequestAsync(erasure.Id, d => d.Request.Stage == WorkflowStage.NotifyingSubject, "the erasure completes");
        // Each request is forgotten once: PrivacyRights, answering as a holder, forgot the finished one; the open one, with
        // its part, is left to the erasure's close.
        var subjects = await service.InDatabaseAsync(db => db.Requests.AsNoTracking()
            .Where(r => r.Id == denied.Id || r.Id == access.Id)
            .ToDictionaryAsync(r => r.Id, r => r.SubjectId, TestContext.Current.CancellationToken));
        subjects[denied.Id].ShouldBe(PrivacyRequest.ForgottenSubject);
        subjects[access.Id].ShouldBe(subject);
        await service.PublishAsync(new PrivacyNoticeDelivered(erasure.Id, PrivacyNotice.RequestCompleted, Now));
        await service.WaitForRequestAsync(erasure.Id, d => d.Request.Stage == WorkflowStage.Closed, "the erasure closes");

        await Eventually.HoldsAsync(
            async () => (await DatabaseScan.ReadAsync(service.DatabaseConnectionString, TestContext.Current.CancellationToken))
                .ColumnsContaining(marker, StringComparison.OrdinalIgnoreCase).Count == 0,
            "no denial or extension reason, verification note or export part naming the subject is left",
            cancellationToken: TestContext.Current.CancellationToken);
    }

    private async Task<(PrivacyRequestResponse Request, Guid Subject, string Address)> ErasureAwaitingNoticeAsync()
    {
        var subject = Guid.NewGuid();
        var address = $"unreachable-{subject:N}@example.test";
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Erasure);
        await service.PublishAsync(new AccountLocked(request.Id, subject, AccountFound: true, TokensRevoked: 0, Now, address, "en"));
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Count == 3, "every registered holder is asked");
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 1));
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "payments", rows: 1));
        var waiting = await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.NotifyingSubject, "the erasure completes and waits to tell the subject");
        waiting.Request.ContactEmail.ShouldBe(address);
        return (request, subject, address);
    }

    private Task ShouldBeForgottenAsync(Guid subject, string address) => Eventually.HoldsAsync(
        async () =>
        {
            var scan = await DatabaseScan.ReadAsync(service.DatabaseConnectionString, TestContext.Current.CancellationToken);
            return scan.ColumnsContaining(subject.ToString(), StringComparison.OrdinalIgnoreCase).Count == 0
                && scan.ColumnsContaining(address, StringComparison.OrdinalIgnoreCase).Count == 0;
        },
        "neither the subject id nor the address is left in PrivacyRights",
        cancellationToken: TestContext.Current.CancellationToken);
}
