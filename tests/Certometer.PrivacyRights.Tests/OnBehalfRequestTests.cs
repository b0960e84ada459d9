using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Tests;

public sealed class OnBehalfRequestTests(PrivacyRightsService service)
{
    private const string Path = "/api/privacy/requests/on-behalf";

    [Fact]
    public async Task An_officer_makes_a_request_for_a_subject_that_keeps_the_verification_note_off_the_audit_log()
    {
        var subject = Guid.NewGuid();
        var officer = Guid.NewGuid();
        var note = $"Called back on the registered number; passport {Guid.NewGuid():N} seen on video.";
        using var officerClient = service.ClientFor(officer, "compliance-officer");

        using var response = await officerClient.PostAsJsonAsync(
            Path, new { subjectId = subject, kind = "Access", verification = $"  {note}  ", contactEmail = "by.post@example.org" }, PrivacyApi.Cancellation);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(PrivacyApi.Cancellation));
        var created = await response.ReadAsync<PrivacyRequestResponse>();
        created.SubjectId.ShouldBe(subject);
        created.Channel.ShouldBe(RequestChannel.Staff);
        created.VerificationNote.ShouldBe(note);
        created.ContactEmail.ShouldBe("by.post@example.org");
        created.Status.ShouldBe(PrivacyRequestStatus.Received);
        created.Deadline.ShouldBe(created.ReceivedAt.AddMonths(1));

        var history = (await officerClient.GetFromJsonAsync<AuditEntryResponse[]>($"/api/privacy/requests/{created.Id}/history", PrivacyApi.Json, PrivacyApi.Cancellation))!;
        var entry = history.ShouldHaveSingleItem();
        entry.Action.ShouldBe("ReceivedOnBehalf");
        entry.Actor.ShouldBe(Pseudonym(officer));
        var auditRows = await service.InDatabaseAsync(db => db.Database
            .SqlQuery<string>($"SELECT row_to_json(a)::text AS \"Value\" FROM audit_entries a WHERE request_id = {created.Id}")
            .ToListAsync(PrivacyApi.Cancellation));
        auditRows.ShouldHaveSingleItem().ShouldNotContain("passport");
        (await service.StagedEventsAsync(created.Id)).ShouldBe([typeof(PrivacyRequestReceived).FullName + ", Certometer.Contracts"]);

        // The subject sees it among their own requests, as made by staff.
        using var subjectClient = service.ClientFor(subject);
        var mine = await subjectClient.GetFromJsonAsync<PrivacyRequestResponse[]>("/api/privacy/me/requests", PrivacyApi.Json, PrivacyApi.Cancellation);
        mine!.ShouldHaveSingleItem().Channel.ShouldBe(RequestChannel.Staff);
    }

    [Fact]
    public async Task A_request_an_officer_filed_or_one_about_their_own_account_needs_a_second_officer_to_approve_it()
    {
        var subject = Guid.NewGuid();
        var filer = Guid.NewGuid();
        using var filerClient = service.ClientFor(filer, "compliance-officer");
        using var filed = await filerClient.PostAsJsonAsync(
            Path, new { subjectId = subject, kind = "Erasure", verification = "Identity checked in person." }, PrivacyApi.Cancellation);
        var erasure = await filed.ReadAsync<PrivacyRequestResponse>();

        using var ownApproval = await filerClient.PostAsJsonAsync($"/api/privacy/requests/{erasure.Id}/approve", new { }, PrivacyApi.Cancellation);
        ownApproval.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ownApproval.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await service.RequestDetailAsync(erasure.Id)).Request.Status.ShouldBe(PrivacyRequestStatus.Received, "the refused approval changed nothing");

        // An officer's own erasure, made in the privacy centre like anyone's: they cannot approve it either.
        var ownErasure = await service.SubmitAsync(filer, PrivacyRequestKind.Erasure);
        using var selfApproval = await filerClient.PostAsJsonAsync($"/api/privacy/requests/{ownErasure.Id}/approve", new { }, PrivacyApi.Cancellation);
        selfApproval.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var second = await service.ComplianceAsync(erasure.Id, "approve");
        second.StatusCode.ShouldBe(HttpStatusCode.OK, "a second officer approves");
        (await service.AuditActionsAsync(erasure.Id)).ShouldBe(["ReceivedOnBehalf", "Approved"], "the refused attempt left no entry");
    }

    [Theory]
    [InlineData("learner")]
    [InlineData("operator")]
    public async Task Only_a_compliance_officer_may_make_a_request_on_someone_s_behalf(string role)
    {
        var subject = Guid.NewGuid();
        using var client = service.ClientFor(Guid.NewGuid(), role);

        using var response = await client.PostAsJsonAsync(
            Path, new { subjectId = subject, kind = "Erasure", verification = "Trust me." }, PrivacyApi.Cancellation);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await service.InDatabaseAsync(db => db.Requests.AnyAsync(r => r.SubjectId == subject, PrivacyApi.Cancellation))).ShouldBeFalse();
    }

    [Fact]
    public async Task A_request_on_behalf_of_a_subject_with_an_open_one_of_that_kind_is_refused_naming_it()
    {
        var subject = Guid.NewGuid();
        var own = await service.SubmitAsync(subject, PrivacyRequestKind.Erasure);
        using var officer = service.ClientFor(Guid.NewGuid(), "compliance-officer");

        using var duplicate = await officer.PostAsJsonAsync(
            Path, new { subjectId = subject, kind = "Erasure", verification = "Letter with a certified copy of an ID card." }, PrivacyApi.Cancellation);

        duplicate.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        duplicate.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await duplicate.ReadAsync<JsonElement>()).GetProperty("existingRequestId").GetGuid().ShouldBe(own.Id);
        (await service.InDatabaseAsync(db => db.Requests.CountAsync(r => r.SubjectId == subject, PrivacyApi.Cancellation))).ShouldBe(1);
    }

    [Fact]
    public async Task A_request_on_behalf_needs_a_subject_a_kind_and_a_verification_note_of_at_most_2000_characters()
    {
        var subject = Guid.NewGuid();
        using var officer = service.ClientFor(Guid.NewGuid(), "compliance-officer");

        using var empty = await officer.PostAsJsonAsync(Path, new { }, PrivacyApi.Cancellation);
        using var blankNote = await officer.PostAsJsonAsync(Path, new { subjectId = subject, kind = "Access", verification = "   " }, PrivacyApi.Cancellation);
        using var longNote = await officer.PostAsJsonAsync(
            Path, new { subjectId = subject, kind = "Access", verification = new string('x', 2001) }, PrivacyApi.Cancellation);

        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await empty.ReadAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("subjectId", out _).ShouldBeTrue();
        errors.TryGetProperty("kind", out _).ShouldBeTrue();
        errors.TryGetProperty("verification", out _).ShouldBeTrue();
        blankNote.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        longNote.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await longNote.ReadAsync<JsonElement>()).GetProperty("errors").GetProperty("verification")[0].GetString()!.ShouldContain("2000");
        (await service.InDatabaseAsync(db => db.Requests.AnyAsync(r => r.SubjectId == subject, PrivacyApi.Cancellation))).ShouldBeFalse();
    }

    private static string Pseudonym(Guid subject) => Convert.ToHexStringLower(
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(PrivacyRightsService.AuditKey), Encoding.UTF8.GetBytes(subject.ToString("D"))));
}
