using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

// One class, so its tests run one after another: the tampering tests break the main host's chain for a moment and must
// not overlap another test's verification. Other classes only append, which keeps a whole chain whole. Tests that cut or
// rewrite the chain's tail, or need checkpoints taken at a moment of their choosing, get a host of their own.
public sealed class AuditTests(PrivacyRightsService service)
{
    [Fact]
    public async Task Every_action_on_a_request_is_in_its_history_and_the_whole_chain_verifies()
    {
        var subject = Guid.NewGuid();
        var officer = Guid.NewGuid();
        var request = await service.SubmitAsync(subject, PrivacyRequestKind.Erasure);
        using var officerClient = service.ClientFor(officer, "compliance-officer");
        (await officerClient.PostAsJsonAsync($"/api/privacy/requests/{request.Id}/approve", new { }, PrivacyApi.Cancellation)).EnsureSuccessStatusCode();
        (await officerClient.PostAsJsonAsync($"/api/privacy/requests/{request.Id}/extend", new { reason = "Backlog." }, PrivacyApi.Cancellation)).EnsureSuccessStatusCode();
        using var subjectClient = service.ClientFor(subject);
        (await subjectClient.PostAsync($"/api/privacy/me/requests/{request.Id}/cancel", null, PrivacyApi.Cancellation)).EnsureSuccessStatusCode();

        var history = (await officerClient.GetFromJsonAsync<AuditEntryResponse[]>($"/api/privacy/requests/{request.Id}/history", PrivacyApi.Json, PrivacyApi.Cancellation))!;
        var verification = await VerifyAsync();

        history.Select(e => e.Action).ShouldBe(["Received", "Approved", "Extended", "Cancelled"]);
        history.Select(e => e.Actor).ShouldBe([Pseudonym(subject), Pseudonym(officer), Pseudonym(officer), Pseudonym(subject)]);
        history.Select(e => e.RequestStatus).ShouldBe(["Received", "Approved", "Approved", "Cancelled"]);
        verification.Valid.ShouldBeTrue(verification.ToString());
        verification.FirstBrokenSequence.ShouldBeNull();
        verification.Entries.ShouldBeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public async Task An_entry_changed_directly_in_the_database_is_named_as_the_first_broken_one()
    {
        var request = await service.SubmitAsync(Guid.NewGuid(), PrivacyRequestKind.Access);
        (await service.ComplianceAsync(request.Id, "approve")).EnsureSuccessStatusCode();
        await service.SubmitAsync(Guid.NewGuid(), PrivacyRequestKind.Access);
        var approval = await service.InDatabaseAsync(db => db.AuditEntries.SingleAsync(e => e.RequestId == request.Id && e.Action == "Approved", PrivacyApi.Cancellation));
        (await VerifyAsync()).Valid.ShouldBeTrue();

        await ExecuteAsync($"UPDATE audit_entries SET action = 'Denied' WHERE sequence = {approval.Sequence}");
        try
        {
            var verification = await VerifyAsync();

            verification.Valid.ShouldBeFalse();
            verification.FailedCheck.ShouldBe(AuditCheck.EntryHash);
            verification.FirstBrokenSequence.ShouldBe(approval.Sequence);
        }
        finally
        {
            await ExecuteAsync($"UPDATE audit_entries SET action = 'Approved' WHERE sequence = {approval.Sequence}");
        }

        (await VerifyAsync()).Valid.ShouldBeTrue();
    }

    [Fact]
    public async Task A_tail_rewritten_with_recomputed_plain_SHA256_hashes_fails_verification_at_the_first_rewritten_entry()
    {
        // No checkpoint is taken in this host: the chain's key alone has to catch the rewrite.
        await using var host = await IsolatedHostAsync();
        // An erasure cools off for a day here, so its approval is one entry and nothing runs on behind the test's back.
        var approved = await SubmitAsync(host, PrivacyRequestKind.Erasure);
        (await DecideAsync(host, approved, "approve")).EnsureSuccessStatusCode();
        await SubmitAsync(host, PrivacyRequestKind.Erasure);
        await SubmitAsync(host, PrivacyRequestKind.Erasure);
        var entries = await InDatabaseAsync(host, db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(PrivacyApi.Cancellation));
        var approval = entries.Single(e => e.RequestId == approved && e.Action == "Approved");
        (await VerifyAsync(host)).Valid.ShouldBeTrue();

        // What an intruder with the database and this code, but not the key, can do: change the approval to a denial and
        // recompute every hash from there on exactly as the chain does, only without the key.
        var previousHash = entries.Single(e => e.Sequence == approval.Sequence - 1).Hash;
        foreach (var entry in entries.Where(e => e.Sequence >= approval.Sequence))
        {
            var rewritten = new AuditEntry
            {
                Sequence = entry.Sequence,
                RequestId = entry.RequestId,
                Action = entry.Sequence == approval.Sequence ? "Denied" : entry.Action,
                Actor = entry.Actor,
                OccurredAt = entry.OccurredAt,
                RequestStatus = entry.Sequence == approval.Sequence ? "Denied" : entry.RequestStatus,
                RequestStage = entry.RequestStage,
                ReceiptDigest = entry.ReceiptDigest,
                PreviousHash = previousHash,
            };
            var hash = Convert.ToHexStringLower(SHA256.HashData(AuditChain.CanonicalFieldsOf(rewritten)));
            await InDatabaseAsync(host, db => db.Database.ExecuteSqlAsync(
                $"UPDATE audit_entries SET action = {rewritten.Action}, request_status = {rewritten.RequestStatus}, previous_hash = {previousHash}, hash = {hash} WHERE sequence = {entry.Sequence}",
                PrivacyApi.Cancellation));
            previousHash = hash;
        }

        var verification = await VerifyAsync(host);

        verification.Valid.ShouldBeFalse();
        verification.FailedCheck.ShouldBe(AuditCheck.EntryHash);
        verification.FirstBrokenSequence.ShouldBe(approval.Sequence);
    }

    [Fact]
    public async Task A_holders_answer_altered_in_the_database_fails_verification_at_the_entry_that_recorded_it()
    {
        // PrivacyRights is a holder of its own: approving an access request has it answer, with its record count.
        var request = await service.SubmitAsync(Guid.NewGuid(), PrivacyRequestKind.Access);
        (await service.ComplianceAsync(request.Id, "approve")).EnsureSuccessStatusCode();
        var answered = await Eventually.ValueAsync(
            () => service.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
                .FirstOrDefaultAsync(e => e.RequestId == request.Id && e.Action == "Answered:privacy-rights", PrivacyApi.Cancellation)),
            "PrivacyRights answered its own part of the access request",
            cancellationToken: PrivacyApi.Cancellation);
        var original = await service.InDatabaseAsync(db => db.Database
            .SqlQuery<string>($"SELECT answer::text AS \"Value\" FROM holder_steps WHERE request_id = {request.Id} AND service = 'privacy-rights'")
            .SingleAsync(PrivacyApi.Cancellation));
        answered.ReceiptDigest.ShouldNotBeNull();
        (await VerifyAsync()).Valid.ShouldBeTrue();

        await ExecuteAsync(
            $"UPDATE holder_steps SET answer = jsonb_set(answer, '{{recordCount}}', '0') WHERE request_id = {request.Id} AND service = 'privacy-rights'");
        try
        {
            var verification = await VerifyAsync();

            verification.Valid.ShouldBeFalse();
            verification.FailedCheck.ShouldBe(AuditCheck.Receipt);
            verification.FirstBrokenSequence.ShouldBe(answered.Sequence);
        }
        finally
        {
            await ExecuteAsync($"UPDATE holder_steps SET answer = {original}::jsonb WHERE request_id = {request.Id} AND service = 'privacy-rights'");
        }

        (await VerifyAsync()).Valid.ShouldBeTrue();
    }

    [Fact]
    public async Task Checkpoints_of_the_head_are_written_as_files_signed_with_the_checkpoint_key_and_the_chain_verifies_against_them()
    {
        var request = await service.SubmitAsync(Guid.NewGuid(), PrivacyRequestKind.Restriction);
        var received = await service.InDatabaseAsync(db => db.AuditEntries.SingleAsync(e => e.RequestId == request.Id, PrivacyApi.Cancellation));
        var checkpoints = service.Factory.Services.GetRequiredService<AuditCheckpoints>();

        // The service's own writer, on its interval: no test code writes these.
        var path = await Eventually.ValueAsync(
            () => Task.FromResult(Directory.EnumerateFiles(checkpoints.Directory, "*.json")
                .Select(f => (Path: f, Checkpoint: JsonSerializer.Deserialize<CheckpointFile>(File.ReadAllText(f), PrivacyApi.Json)!))
                .Where(f => f.Checkpoint.Sequence >= received.Sequence)
                .Select(f => f.Path)
                .FirstOrDefault()),
            "a checkpoint covers the new entry",
            cancellationToken: PrivacyApi.Cancellation);
        var file = JsonSerializer.Deserialize<CheckpointFile>(await File.ReadAllTextAsync(path, PrivacyApi.Cancellation), PrivacyApi.Json)!;
        var signedHash = await service.InDatabaseAsync(db => db.AuditEntries.Where(e => e.Sequence == file.Sequence).Select(e => e.Hash).SingleAsync(PrivacyApi.Cancellation));
        var verification = await VerifyAsync();

        using var publicKey = CheckpointPublicKey();
        file.Hash.ShouldBe(signedHash);
        publicKey.VerifyData(
            AuditCheckpoints.SignedBytes(new AuditCheckpoint(file.Sequence, file.Hash, file.At)), Convert.FromBase64String(file.Signature), HashAlgorithmName.SHA256)
            .ShouldBeTrue();
        verification.Valid.ShouldBeTrue();
        verification.LastCheckpoint.ShouldNotBeNull();
        verification.LastCheckpoint.Sequence!.Value.ShouldBeGreaterThanOrEqualTo(received.Sequence);
    }

    [Fact]
    public async Task Cutting_the_chain_below_the_last_checkpoint_fails_verification_and_no_checkpoint_is_signed_over_the_cut_chain()
    {
        await using var host = await IsolatedHostAsync();
        for (var request = 0; request < 3; request++)
        {
            await SubmitAsync(host, PrivacyRequestKind.Erasure);
        }

        await CheckpointNowAsync(host);
        var checkpoints = host.Services.GetRequiredService<AuditCheckpoints>();
        var checkpointed = checkpoints.ReadLast()!;
        checkpointed.Checkpoint!.Sequence.ShouldBe(3);
        (await VerifyAsync(host)).Valid.ShouldBeTrue();

        await InDatabaseAsync(host, db => db.Database.ExecuteSqlAsync($"DELETE FROM audit_entries WHERE sequence >= 2", PrivacyApi.Cancellation));
        await CheckpointNowAsync(host);
        var verification = await VerifyAsync(host);

        verification.Valid.ShouldBeFalse();
        verification.FailedCheck.ShouldBe(AuditCheck.CheckpointTruncated);
        verification.FirstBrokenSequence.ShouldBe(2);
        verification.Entries.ShouldBe(1);
        checkpoints.ReadLast()!.File.ShouldBe(checkpointed.File);
    }

    [Fact]
    public async Task A_checkpoint_file_altered_after_it_was_written_is_reported_as_a_failed_checkpoint_signature()
    {
        await using var host = await IsolatedHostAsync();
        await SubmitAsync(host, PrivacyRequestKind.Erasure);
        await SubmitAsync(host, PrivacyRequestKind.Restriction);
        await CheckpointNowAsync(host);
        var checkpoints = host.Services.GetRequiredService<AuditCheckpoints>();
        var path = Path.Combine(checkpoints.Directory, checkpoints.ReadLast()!.File);
        (await VerifyAsync(host)).Valid.ShouldBeTrue();

        // Moving the checkpoint back one entry would let the last entry be cut unseen; the signature is what stops that.
        var content = await File.ReadAllTextAsync(path, PrivacyApi.Cancellation);
        await File.WriteAllTextAsync(path, content.Replace("\"sequence\": 2", "\"sequence\": 1", StringComparison.Ordinal), PrivacyApi.Cancellation);
        var verification = await VerifyAsync(host);

        content.ShouldContain("\"sequence\": 2");
        verification.Valid.ShouldBeFalse();
        verification.FailedCheck.ShouldBe(AuditCheck.CheckpointSignature);
        verification.LastCheckpoint!.File.ShouldBe(Path.GetFileName(path));
    }

    [Fact]
    public async Task No_audit_entry_contains_the_subject_id_or_the_officer_id()
    {
        var subject = Guid.NewGuid();
        var officer = Guid.NewGuid();
        var request = await service.SubmitAsync(subject, PrivacyRequestKind.Restriction, "subject@example.org");
        using var officerClient = service.ClientFor(officer, "compliance-officer");
        (await officerClient.PostAsJsonAsync($"/api/privacy/requests/{request.Id}/deny", new { reason = "Not verified." }, PrivacyApi.Cancellation)).EnsureSuccessStatusCode();

        var rows = await service.InDatabaseAsync(db => db.Database
            .SqlQuery<string>($"SELECT row_to_json(a)::text AS \"Value\" FROM audit_entries a")
            .ToListAsync(PrivacyApi.Cancellation));

        rows.Count(r => r.Contains(request.Id.ToString(), StringComparison.Ordinal)).ShouldBe(2);
        rows.ShouldAllBe(r => !r.Contains(subject.ToString(), StringComparison.OrdinalIgnoreCase)
            && !r.Contains(subject.ToString("N"), StringComparison.OrdinalIgnoreCase)
            && !r.Contains(officer.ToString(), StringComparison.OrdinalIgnoreCase)
            && !r.Contains("subject@example.org", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Ten_requests_made_and_approved_at_once_still_leave_one_whole_gap_free_chain()
    {
        var subjects = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToArray();

        // Erasures cool off for a day in this host, so approving them appends exactly one entry each.
        var requests = await Task.WhenAll(subjects.Select(s => service.SubmitAsync(s, PrivacyRequestKind.Erasure)));
        var approvals = await Task.WhenAll(requests.Select(r => service.ComplianceAsync(r.Id, "approve")));

        approvals.ShouldAllBe(a => a.StatusCode == HttpStatusCode.OK);
        var verification = await VerifyAsync();
        verification.Valid.ShouldBeTrue(verification.ToString());
        var ids = requests.Select(r => r.Id).ToArray();
        var sequences = await service.InDatabaseAsync(db => db.AuditEntries.Where(e => ids.Contains(e.RequestId)).Select(e => e.Sequence).ToListAsync(PrivacyApi.Cancellation));
        sequences.Count.ShouldBe(20);
        sequences.Distinct().Count().ShouldBe(20);
        // One statement, one snapshot: other test classes keep appending while this runs.
        var gapFree = await service.InDatabaseAsync(db => db.Database
            .SqlQuery<bool>($"SELECT count(*) = max(sequence) AND min(sequence) = 1 AS \"Value\" FROM audit_entries")
            .SingleAsync(PrivacyApi.Cancellation));
        gapFree.ShouldBeTrue();
    }

    [Fact]
    public async Task A_request_changes_while_the_chain_is_locked_and_its_entry_is_linked_once_the_lock_is_released()
    {
        await using var host = await IsolatedHostAsync();
        var request = await SubmitAsync(host, PrivacyRequestKind.Erasure);
        // The helper links what is pending first: only what the approval stages can be pending below.
        (await InDatabaseAsync(host, db => db.PendingAuditEntries.CountAsync(PrivacyApi.Cancellation))).ShouldBe(0);
        await using var scope = host.Services.CreateAsyncScope();
        var holder = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        await using var chainHeld = await holder.Database.BeginTransactionAsync(PrivacyApi.Cancellation);
        await holder.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuditChain.ChainLockKey})", PrivacyApi.Cancellation);

        // Until 6 Dec 2026 every change waited here for the chain's lock, so changes of different requests took turns.
        var approval = DecideAsync(host, request, "approve");
        var finished = await Task.WhenAny(approval, Task.Delay(TimeSpan.FromSeconds(30), PrivacyApi.Cancellation));
        finished.ShouldBe(approval, "the approval waited for the chain's lock");
        (await approval).StatusCode.ShouldBe(HttpStatusCode.OK);
        List<string> pending;
        await using (var other = host.Services.CreateAsyncScope())
        {
            pending = await other.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>().PendingAuditEntries.AsNoTracking()
                .Where(e => e.RequestId == request).Select(e => e.Action).ToListAsync(PrivacyApi.Cancellation);
        }

        await chainHeld.RollbackAsync(PrivacyApi.Cancellation);

        pending.ShouldBe(["Approved"]);
        var actions = await Eventually.ValueAsync(
            async () =>
            {
                await using var reader = host.Services.CreateAsyncScope();
                var linked = await reader.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>().AuditEntries.AsNoTracking()
                    .Where(e => e.RequestId == request).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(PrivacyApi.Cancellation);
                return linked.Count == 2 ? linked : null;
            },
            "the appender linked the approval into the chain without being asked",
            cancellationToken: PrivacyApi.Cancellation);
        actions.ShouldBe(["Received", "Approved"]);
        (await VerifyAsync(host)).Valid.ShouldBeTrue();
    }

    [Fact]
    public async Task An_entry_left_pending_by_a_crash_after_its_commit_is_linked_into_a_chain_that_still_verifies()
    {
        await using var host = await IsolatedHostAsync();
        var request = await SubmitAsync(host, PrivacyRequestKind.Erasure);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // What a process that committed its change and died before the appender ran leaves behind.
            var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO audit_pending ("order", request_id, action, actor, occurred_at, request_status, request_stage)
                VALUES (nextval('audit_pending_order'), {request}, 'Approved', 'crashed-instance', now(), 'Approved', 'NotStarted')
                """,
                PrivacyApi.Cancellation);
        }

        var history = await Eventually.ValueAsync(
            async () =>
            {
                await using var reader = host.Services.CreateAsyncScope();
                var db = reader.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
                var left = await db.PendingAuditEntries.CountAsync(PrivacyApi.Cancellation);
                var linked = await db.AuditEntries.AsNoTracking().Where(e => e.RequestId == request).OrderBy(e => e.Sequence).ToListAsync(PrivacyApi.Cancellation);
                return left == 0 && linked.Count == 2 ? linked : null;
            },
            "the appender's sweep linked the entry nobody signalled",
            cancellationToken: PrivacyApi.Cancellation);

        history.Select(e => e.Action).ShouldBe(["Received", "Approved"]);
        history[1].Sequence.ShouldBe(history[0].Sequence + 1);
        history[1].PreviousHash.ShouldBe(history[0].Hash);
        (await VerifyAsync(host)).Valid.ShouldBeTrue();
    }

    private async Task<AuditVerification> VerifyAsync()
    {
        using var officer = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        return (await officer.GetFromJsonAsync<AuditVerification>("/api/privacy/audit/verify", PrivacyApi.Json, PrivacyApi.Cancellation))!;
    }

    /// <summary>A PrivacyRights host on its own database and checkpoint directory, whose writer waits for the test to call it.</summary>
    private Task<WebApplicationFactory<Program>> IsolatedHostAsync() =>
        service.StartAsync(host => host.UseSetting("PrivacyRights:Audit:CheckpointInterval", "01:00:00"));

    private static async Task CheckpointNowAsync(WebApplicationFactory<Program> host) =>
        await host.Services.GetRequiredService<AuditCheckpointWriter>().CheckpointAsync(PrivacyApi.Cancellation);

    private static HttpClient ClientOf(WebApplicationFactory<Program> host, Guid subject, string role)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForPerson(subject, role, "privacy", "urn:certometer:privacy"));
        return client;
    }

    private static async Task<Guid> SubmitAsync(WebApplicationFactory<Program> host, PrivacyRequestKind kind)
    {
        using var client = ClientOf(host, Guid.NewGuid(), "learner");
        using var response = await client.PostAsJsonAsync("/api/privacy/requests", new { kind = kind.ToString() }, PrivacyApi.Cancellation);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.ReadAsync<PrivacyRequestResponse>()).Id;
    }

    private static async Task<HttpResponseMessage> DecideAsync(WebApplicationFactory<Program> host, Guid requestId, string decision)
    {
        using var officer = ClientOf(host, Guid.NewGuid(), "compliance-officer");
        return await officer.PostAsJsonAsync($"/api/privacy/requests/{requestId}/{decision}", new { }, PrivacyApi.Cancellation);
    }

    private static async Task<AuditVerification> VerifyAsync(WebApplicationFactory<Program> host)
    {
        using var officer = ClientOf(host, Guid.NewGuid(), "compliance-officer");
        return (await officer.GetFromJsonAsync<AuditVerification>("/api/privacy/audit/verify", PrivacyApi.Json, PrivacyApi.Cancellation))!;
    }

    private static async Task<T> InDatabaseAsync<T>(WebApplicationFactory<Program> host, Func<PrivacyRightsDbContext, Task<T>> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        await scope.ServiceProvider.GetRequiredService<AuditChain>().SealPendingAsync(db, PrivacyApi.Cancellation);
        return await query(db);
    }

    /// <summary>The public half of the test checkpoint key: what an auditor outside the service verifies with.</summary>
    private static ECDsa CheckpointPublicKey()
    {
        using var signing = ECDsa.Create();
        signing.ImportPkcs8PrivateKey(Convert.FromBase64String(PrivacyRightsHost.CheckpointSigningKey), out _);
        var verifying = ECDsa.Create();
        verifying.ImportSubjectPublicKeyInfo(signing.ExportSubjectPublicKeyInfo(), out _);
        return verifying;
    }

    private sealed record CheckpointFile(long Sequence, string Hash, DateTimeOffset At, string Signature);

    private Task<int> ExecuteAsync(FormattableString sql) =>
        service.InDatabaseAsync(db => db.Database.ExecuteSqlAsync(sql, PrivacyApi.Cancellation));

    private static string Pseudonym(Guid subject) => Convert.ToHexStringLower(
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(PrivacyRightsService.AuditKey), Encoding.UTF8.GetBytes(subject.ToString("D"))));
}
