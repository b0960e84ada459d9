using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using Npgsql;

namespace Certometer.EndToEnd.Tests;

/// <summary>
/// A batch of erasures running while part of the stack fails: every request still completes, and no step takes effect
/// twice — each holder is counted once, the audit log says each thing once, and no holder erased anything a second time.
/// </summary>
[Collection(nameof(StackOutages))]
public sealed class ErasureFaultTests(StackFixture stack)
{
    private const int BatchSize = 5;

    // Faults make the outboxes back off (up to minutes after several failed publishes), so completion gets more time
    // than a healthy stack would need; the polls end as soon as it is there.
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromMinutes(4);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The database each holder keeps its outbox in, where its answers stay for a day after they are sent.</summary>
    private static readonly IReadOnlyDictionary<string, string> HolderDatabases = new Dictionary<string, string>
    {
        ["identity"] = "identitydb",
        ["catalog"] = "catalogdb",
        ["billing"] = "billingdb",
        ["notifications"] = "notificationsdb",
        ["analytics"] = "analyticsdb",
        ["privacy-rights"] = "privacydb",
    };

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Erasures_approved_before_during_and_after_a_broker_restart_all_complete_and_each_step_takes_effect_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var batch = await ErasureBatch.PrepareAsync(stack.App, BatchSize, cancellationToken);
        await batch.ApproveAsync(0..2, cancellationToken);
        await batch.WaitUntilAsync(0..2, d => d.Request.Stage is "AwaitingHolders" or "NotifyingSubject" or "Closed", "the first erasures reached the holders", cancellationToken);

        // A real restart, not a freeze: connections drop, unacknowledged deliveries go back to their queues, and
        // durable queues with their persistent messages come back with the broker (the container keeps its disk).
        var broker = await stack.ContainerIdAsync("messaging", cancellationToken);
        await DockerContainers.StopAsync(broker, cancellationToken);
        try
        {
            // Approved while no broker is there: the approvals and everything they stage wait in PrivacyRights' outbox.
            await batch.ApproveAsync(2..4, cancellationToken);
        }
        finally
        {
            await DockerContainers.StartAsync(broker, cancellationToken);
        }

        await batch.ApproveAsync(4..5, cancellationToken);
        await batch.WaitForAllCompletedAsync(cancellationToken);
        await batch.ShouldEachHaveTakenEffectOnceAsync(cancellationToken);
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Erasures_wait_for_a_stopped_holder_asking_it_again_and_complete_once_each_when_it_is_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var batch = await ErasureBatch.PrepareAsync(stack.App, BatchSize, cancellationToken);
        await batch.ApproveAsync(0..2, cancellationToken);

        await ExecuteAsync("catalog", KnownResourceCommands.StopCommand, cancellationToken);
        try
        {
            await batch.ApproveAsync(2..5, cancellationToken);

            // Catalog's queue keeps every ask while it is gone; PrivacyRights, hearing nothing, keeps asking.
            await batch.WaitUntilAsync(
                2..5,
                // Until Identity has locked the account no holder is asked, so there are no steps yet.
                d => d.Holders.SingleOrDefault(h => h.Service == "catalog") is { Attempts: >= 3 }
                    && d.Holders.Where(h => h.Service != "catalog").All(h => h.AnsweredAt is not null),
                "catalog was asked again while it was down and every other holder answered",
                cancellationToken);
            foreach (var detail in await batch.DetailsAsync(2..5, cancellationToken))
            {
                detail.Request.Status.ShouldBe("InProgress", "an erasure cannot complete while a holder has not answered");
                detail.Holders.Single(h => h.Service == "catalog").AnsweredAt.ShouldBeNull();
            }
        }
        finally
        {
            await ExecuteAsync("catalog", KnownResourceCommands.StartCommand, cancellationToken);
        }

        await batch.WaitForAllCompletedAsync(cancellationToken);
        await batch.ShouldEachHaveTakenEffectOnceAsync(cancellationToken);
        foreach (var detail in await batch.DetailsAsync(2..5, cancellationToken))
        {
            var catalogStep = detail.Holders.Single(h => h.Service == "catalog");
            var history = await batch.HistoryAsync(detail.Request.Id, cancellationToken);
            history.Count(a => a == "AskedAgain:catalog").ShouldBe(catalogStep.Attempts - 1, "every repeated ask is on the record");
        }
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Erasures_in_flight_when_privacy_rights_restarts_all_complete_and_each_step_takes_effect_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var batch = await ErasureBatch.PrepareAsync(stack.App, BatchSize, cancellationToken);
        await batch.ApproveAsync(0..5, cancellationToken);

        // Stopped the moment the last approval commits: its answers and clock ticks meet a dead process mid-way.
        // Killed, not stopped: a crash gives no chance to finish anything, which is the harder case, and it does not
        // depend on a graceful shutdown finishing within the orchestrator's patience on a loaded machine.
        await KillAsync("privacy-rights", cancellationToken);
        await ExecuteAsync("privacy-rights", KnownResourceCommands.StartCommand, cancellationToken);
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("privacy-rights", cancellationToken);

        await batch.WaitForAllCompletedAsync(cancellationToken);
        await batch.ShouldEachHaveTakenEffectOnceAsync(cancellationToken);
    }

    private async Task KillAsync(string resource, CancellationToken cancellationToken)
    {
        var running = await stack.App.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null), cancellationToken);
        var pid = Convert.ToInt32(running.Snapshot.Properties.First(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
        using (var process = System.Diagnostics.Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
        }

        await stack.App.ResourceNotifications.WaitForResourceAsync(
            resource, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken);
    }

    private async Task ExecuteAsync(string resource, string command, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await stack.App.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
            if (result.Success)
            {
                return;
            }

            // On a loaded machine the orchestrator can stop waiting while the process is still shutting down and call the
            // stop a failure; what the test needs is the process gone, so it waits for that before trying again.
            if (command == KnownResourceCommands.StopCommand)
            {
                using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                patience.CancelAfter(TimeSpan.FromSeconds(60));
                try
                {
                    await stack.App.ResourceNotifications.WaitForResourceAsync(
                        resource, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), patience.Token);
                    return;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && attempt < 3)
                {
                }
            }

            attempt.ShouldBeLessThan(3, $"{command} {resource}: {result.Message}");
        }
    }

    /// <summary>Learners with data in several holders, each with an erasure request waiting for a compliance officer.</summary>
    private sealed class ErasureBatch(DistributedApplication app, ApiTokens complianceToken, IReadOnlyList<Guid> requests)
    {
        public static async Task<ErasureBatch> PrepareAsync(DistributedApplication app, int size, CancellationToken cancellationToken)
        {
            var operatorToken = await app.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken);
            var complianceToken = await app.SignInAsync(Accounts.ComplianceEmail, Accounts.CompliancePassword, cancellationToken);
            var course = await PublishFreeCourseAsync(app, operatorToken, cancellationToken);
            var requests = await Task.WhenAll(Enumerable.Range(0, size).Select(async _ =>
            {
                var learner = await app.RegisterLearnerAsync(cancellationToken);
                var token = await app.SignInAsync(learner.Email, learner.Password, cancellationToken, scope: "openid offline_access catalog privacy");
                using (var catalog = app.ClientFor("catalog", token))
                using (var enrolled = await catalog.PostAsync($"/api/catalog/courses/{course}/enrollments", null, cancellationToken))
                {
                    enrolled.StatusCode.ShouldBe(HttpStatusCode.Created, await enrolled.Content.ReadAsStringAsync(cancellationToken));
                }

                using var privacy = app.ClientFor("privacy-rights", token);
                using var submitted = await privacy.PostAsJsonAsync("/api/privacy/requests", new { kind = "Erasure" }, cancellationToken);
                submitted.StatusCode.ShouldBe(HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync(cancellationToken));
                return (await submitted.Content.ReadFromJsonAsync<RequestState>(Json, cancellationToken))!.Id;
            }));
            return new ErasureBatch(app, complianceToken, requests);
        }

        public async Task ApproveAsync(Range which, CancellationToken cancellationToken)
        {
            using var privacy = app.ClientFor("privacy-rights", complianceToken);
            foreach (var id in requests.Take(which))
            {
                using var approved = await privacy.PostAsync($"/api/privacy/requests/{id}/approve", null, cancellationToken);
                approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync(cancellationToken));
            }
        }

        public async Task<List<Detail>> DetailsAsync(Range which, CancellationToken cancellationToken)
        {
            using var privacy = app.ClientFor("privacy-rights", complianceToken);
            var details = new List<Detail>();
            foreach (var id in requests.Take(which))
            {
                details.Add((await privacy.GetFromJsonAsync<Detail>($"/api/privacy/requests/{id}", Json, cancellationToken))!);
            }

            return details;
        }

        public async Task<List<string>> HistoryAsync(Guid id, CancellationToken cancellationToken)
        {
            using var privacy = app.ClientFor("privacy-rights", complianceToken);
            var entries = await privacy.GetFromJsonAsync<List<AuditEntry>>($"/api/privacy/requests/{id}/history", Json, cancellationToken);
            return [.. entries!.OrderBy(e => e.Sequence).Select(e => e.Action)];
        }

        public Task WaitUntilAsync(Range which, Func<Detail, bool> condition, string what, CancellationToken cancellationToken) =>
            Eventually.HoldsAsync(
                async () =>
                {
                    try
                    {
                        return (await DetailsAsync(which, cancellationToken)).All(condition);
                    }
                    catch (HttpRequestException)
                    {
                        // A service on its way back is "not yet", not a failure.
                        return false;
                    }
                },
                what,
                CompletionTimeout,
                cancellationToken);

        /// <summary>Completed and closed: every holder answered, the subject was told, the contact address dropped.</summary>
        public Task WaitForAllCompletedAsync(CancellationToken cancellationToken) =>
            WaitUntilAsync(.., d => d.Request.Status == "Completed" && d.Request.Stage == "Closed", "every erasure in the batch completed and closed", cancellationToken);

        /// <summary>Each request: one answer per holder, each said once on the record, one completion staged, and no holder that erased anything twice.</summary>
        public async Task ShouldEachHaveTakenEffectOnceAsync(CancellationToken cancellationToken)
        {
            var completions = await CompletionsStagedAsync(cancellationToken);
            foreach (var detail in await DetailsAsync(.., cancellationToken))
            {
                var id = detail.Request.Id;
                var history = await HistoryAsync(id, cancellationToken);
                detail.Holders.Select(h => h.Service).ShouldBe(HolderDatabases.Keys, ignoreOrder: true, "every declared holder was asked");
                history.Count(a => a == "Completed").ShouldBe(1, $"request {id} completed once");
                history.Count(a => a == "ContactDropped").ShouldBe(1, $"request {id} closed once");
                completions.Count(c => c == id).ShouldBe(1, $"the subject of {id} was told once");
                history.Count(a => a == "AccountLocked").ShouldBe(1, $"request {id} recorded the account lock once");
                history.Count(a => a == "AccountLockAskedAgain").ShouldBe(detail.AccountLock!.Attempts - 1, "every repeated lock request is on the record");
                history.Count(a => a == "HoldersAsked").ShouldBe(1);

                foreach (var holder in detail.Holders)
                {
                    holder.AnsweredAt.ShouldNotBeNull($"{holder.Service} answered request {id}");
                    history.Count(a => a == $"Answered:{holder.Service}").ShouldBe(1, $"{holder.Service}'s answer to {id} counted once");
                    history.Count(a => a == $"AskedAgain:{holder.Service}").ShouldBe(holder.Attempts - 1);

                    // What the holder itself sent: however often it was asked, it erased the subject's data only once.
                    // Copies of messages sent after its first answer (PrivacyRights' own re-asks name the subject) are
                    // new rows, not the same data erased twice, so they do not count.
                    var answers = await ErasureAnswersAsync(holder.Service, id, cancellationToken);
                    answers.ShouldNotBeEmpty($"{holder.Service} has no answer to {id} in its outbox");
                    var erasedAgain = answers.Skip(1).SelectMany(a => a.Lines)
                        .Where(l => l.Action == ErasureAction.Erase && l.Category is not ("sent-event-copies" or "dead-letters") && l.Rows > 0)
                        .Select(l => $"{l.Category}: {l.Rows}")
                        .ToList();
                    erasedAgain.ShouldBeEmpty($"{holder.Service} erased something again for {id}");
                }

                // The enrollment each learner had is gone, and the receipt on the record is the one that removed it.
                var catalogReceipt = detail.Holders.Single(h => h.Service == "catalog").Answer!.Value.Deserialize<ErasureReceipt>(Json)!;
                catalogReceipt.Lines.Single(l => l.Category == "enrollments").Rows.ShouldBe(1, $"the recorded catalog receipt for {id}");
            }
        }

        private async Task<List<ErasureReceipt>> ErasureAnswersAsync(string service, Guid requestId, CancellationToken cancellationToken)
        {
            var payloads = await OutboxPayloadsAsync(HolderDatabases[service], typeof(SubjectErased), requestId, cancellationToken);
            return [.. payloads.Select(p => JsonSerializer.Deserialize<SubjectErased>(p, Json)!).Select(a => a.Receipt)];
        }

        /// <summary>
        /// The completion messages Notifications queued, one entry per message: PrivacyRights' own copy of the event is
        /// deleted when the erasure closes (it named the subject), so what counts is what reached the subject.
        /// </summary>
        private async Task<List<Guid>> CompletionsStagedAsync(CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync("notificationsdb", cancellationToken));
            await connection.OpenAsync(cancellationToken);
            await using var select = new NpgsqlCommand(
                "SELECT privacy_request_id FROM outgoing_messages WHERE kind = 'PrivacyRequestCompleted' AND privacy_request_id = ANY(@ids)",
                connection);
            select.Parameters.AddWithValue("ids", requests.ToArray());
            var completions = new List<Guid>();
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                completions.Add(reader.GetGuid(0));
            }

            return completions;
        }

        /// <summary>Every message of <paramref name="type"/> about <paramref name="requestId"/> the service staged, sent or not, oldest first.</summary>
        private async Task<List<string>> OutboxPayloadsAsync(string database, Type type, Guid requestId, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync(database, cancellationToken));
            await connection.OpenAsync(cancellationToken);
            await using var select = new NpgsqlCommand(
                "SELECT payload::text FROM outbox_messages WHERE message_type LIKE @type AND payload::jsonb ->> 'requestId' = @id ORDER BY occurred_at",
                connection);
            select.Parameters.AddWithValue("type", type.FullName + ",%");
            select.Parameters.AddWithValue("id", requestId.ToString());
            var payloads = new List<string>();
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                payloads.Add(reader.GetString(0));
            }

            return payloads;
        }

        private static async Task<Guid> PublishFreeCourseAsync(DistributedApplication app, ApiTokens operatorToken, CancellationToken cancellationToken)
        {
            using var catalog = app.ClientFor("catalog", operatorToken);
            var marker = Guid.NewGuid().ToString("N")[..8];
            using var created = await catalog.PostAsJsonAsync("/api/catalog/admin/courses", new
            {
                title = $"Data minimisation {marker}",
                slug = $"data-minimisation-{marker}",
                description = "Keeping only what a purpose needs.",
                level = "Beginner",
                kind = "Course",
                durationMinutes = 30,
                priceMinor = 0,
                currency = "EUR",
                language = "en",
                lessons = new[] { new { title = "Purpose first", durationMinutes = 30 } },
            }, cancellationToken);
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(cancellationToken));
            var id = (await created.Content.ReadFromJsonAsync<CreatedCourse>(Json, cancellationToken))!.Id;
            using var published = await catalog.PostAsync($"/api/catalog/admin/courses/{id}/publish", null, cancellationToken);
            published.StatusCode.ShouldBe(HttpStatusCode.OK, await published.Content.ReadAsStringAsync(cancellationToken));
            return id;
        }
    }

    private sealed record Detail(RequestState Request, AccountLockState? AccountLock, List<HolderState> Holders);

    private sealed record RequestState(Guid Id, string Status, string Stage);

    private sealed record AccountLockState(int Attempts, DateTimeOffset? LockedAt);

    private sealed record HolderState(string Service, int Attempts, DateTimeOffset? AnsweredAt, JsonElement? Answer);

    private sealed record AuditEntry(long Sequence, string Action);

    private sealed record CreatedCourse(Guid Id);
}
