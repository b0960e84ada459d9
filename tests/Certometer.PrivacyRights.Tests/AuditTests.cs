using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Audit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Tests;

// One class, so its tests run one after another: the tampering test breaks the chain for a moment and must not
// overlap another test's verification. Other classes only append, which keeps a whole chain whole.
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
        verification.Valid.ShouldBeTrue();
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
            verification.FirstBrokenSequence.ShouldBe(approval.Sequence);
        }
        finally
        {
            await ExecuteAsync($"UPDATE audit_entries SET action = 'Approved' WHERE sequence = {approval.Sequence}");
        }

        (await VerifyAsync()).Valid.ShouldBeTrue();
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
        verification.Valid.ShouldBeTrue();
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

    private async Task<AuditVerification> VerifyAsync()
    {
        using var officer = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        return (await officer.GetFromJsonAsync<AuditVerification>("/api/privacy/audit/verify", PrivacyApi.Json, PrivacyApi.Cancellation))!;
    }

    private Task<int> ExecuteAsync(FormattableString sql) =>
        service.InDatabaseAsync(db => db.Database.ExecuteSqlAsync(sql, PrivacyApi.Cancellation));

    private static string Pseudonym(Guid subject) => Convert.ToHexStringLower(
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(PrivacyRightsService.AuditKey), Encoding.UTF8.GetBytes(subject.ToString("D"))));
}
