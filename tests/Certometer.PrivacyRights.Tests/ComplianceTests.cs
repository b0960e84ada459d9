using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Compliance;
using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Tests;

public sealed class ComplianceTests(PrivacyRightsService service)
{
    private static string EventType<T>() => typeof(T).FullName + ", Certometer.Contracts";

    [Fact]
    public async Task Approving_then_extending_moves_the_deadline_two_months_once_and_stages_each_event_exactly_once()
    {
        var request = await service.SubmitAsync(Guid.NewGuid(), PrivacyRequestKind.Erasure);

        using var approved = await service.ComplianceAsync(request.Id, "approve");
        using var approvedAgain = await service.ComplianceAsync(request.Id, "approve");
        using var extended = await service.ComplianceAsync(request.Id, "extend", "Many holders, complex export.");
        using var extendedAgain = await service.ComplianceAsync(request.Id, "extend", "Still not done.");

        approved.StatusCode.ShouldBe(HttpStatusCode.OK);
        var approval = await approved.ReadAsync<PrivacyRequestResponse>();
        approval.Status.ShouldBe(PrivacyRequestStatus.Approved);
        approval.WorkStartsAt.ShouldBe(request.ReceivedAt.AddDays(1), "an erasure waits out its cooling-off period before any work starts");
        approvedAgain.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        extended.StatusCode.ShouldBe(HttpStatusCode.OK);
        var afterExtension = await extended.ReadAsync<PrivacyRequestResponse>();
        afterExtension.Deadline.ShouldBe(request.Deadline.AddMonths(2));
        afterExtension.ExtensionReason.ShouldBe("Many holders, complex export.");
        extendedAgain.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        extendedAgain.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        (await service.StagedEventsAsync(request.Id)).ShouldBe(
            [EventType<PrivacyRequestReceived>(), EventType<PrivacyRequestApproved>(), EventType<PrivacyRequestExtended>()]);
    }

    [Fact]
    public async Task Denying_needs_a_reason_and_the_reason_travels_in_the_event_but_the_contact_address_does_not()
    {
        var request = await service.SubmitAsync(Guid.NewGuid(), PrivacyRequestKind.Erasure, "private.contact@example.org");

        using var withoutReason = await service.ComplianceAsync(request.Id, "deny", "   ");
        using var denied = await service.ComplianceAsync(request.Id, "deny", "Identity could not be verified.");

        withoutReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        withoutReason.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await withoutReason.ReadAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        denied.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await denied.ReadAsync<PrivacyRequestResponse>();
        body.Status.ShouldBe(PrivacyRequestStatus.Denied);
        body.DenialReason.ShouldBe("Identity could not be verified.");

        (await service.StagedEventsAsync(request.Id)).ShouldBe([EventType<PrivacyRequestReceived>(), EventType<PrivacyRequestDenied>()]);
        var payloads = await service.InDatabaseAsync(db => db.Database
            .SqlQuery<string>($"SELECT payload::text AS \"Value\" FROM outbox_messages WHERE payload->>'requestId' = {request.Id.ToString()}")
            .ToListAsync(PrivacyApi.Cancellation));
        payloads.ShouldAllBe(p => !p.Contains("private.contact@example.org"));
        payloads.ShouldContain(p => p.Contains("Identity could not be verified."));
    }

    [Fact]
    public async Task An_approved_erasure_cools_off_staff_cannot_start_it_early_and_the_subject_can_still_cancel_it()
    {
        var subject = Guid.NewGuid();
        var request = await service.SubmitAsync(subject, PrivacyRequestKind.Erasure);
        using var approved = await service.ComplianceAsync(request.Id, "approve");
        approved.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var startedEarly = await service.ComplianceAsync(request.Id, "start");
        startedEarly.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await startedEarly.Content.ReadAsStringAsync(PrivacyApi.Cancellation)).ShouldContain("cooling-off");
        using var subjectClient = service.ClientFor(subject);
        using var cancelled = await subjectClient.PostAsync($"/api/privacy/me/requests/{request.Id}/cancel", null, PrivacyApi.Cancellation);

        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await cancelled.ReadAsync<PrivacyRequestResponse>()).Status.ShouldBe(PrivacyRequestStatus.Cancelled);
        (await service.StagedEventsAsync(request.Id)).ShouldNotContain(type => type.Contains("AccountLockRequested", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compliance_staff_list_requests_by_kind_and_status_in_bounded_pages()
    {
        var subject = Guid.NewGuid();
        var portability = await service.SubmitAsync(subject, PrivacyRequestKind.Portability);
        using var officer = service.ClientFor(Guid.NewGuid(), "compliance-officer");

        var page = await officer.GetFromJsonAsync<PrivacyRequestPage>(
            "/api/privacy/requests?kind=Portability&status=Received&overdue=false&page=1&pageSize=100", PrivacyApi.Json, PrivacyApi.Cancellation);
        using var tooBig = await officer.GetAsync("/api/privacy/requests?pageSize=1000", PrivacyApi.Cancellation);
        using var beyond = await officer.GetAsync($"/api/privacy/requests?page={int.MaxValue}", PrivacyApi.Cancellation);
        var overdue = await officer.GetFromJsonAsync<PrivacyRequestPage>("/api/privacy/requests?overdue=true", PrivacyApi.Json, PrivacyApi.Cancellation);

        page!.Items.ShouldAllBe(r => r.Kind == PrivacyRequestKind.Portability && r.Status == PrivacyRequestStatus.Received);
        page.Items.ShouldContain(r => r.Id == portability.Id);
        page.PageSize.ShouldBe(100);
        tooBig.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        beyond.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a page whose offset would overflow is refused, not a 500");
        overdue!.Items.ShouldNotContain(r => r.Id == portability.Id);
    }

    [Theory]
    [InlineData("GET", "/api/privacy/requests")]
    [InlineData("POST", "/api/privacy/requests/{0}/approve")]
    [InlineData("POST", "/api/privacy/requests/{0}/deny")]
    [InlineData("POST", "/api/privacy/requests/{0}/extend")]
    [InlineData("GET", "/api/privacy/requests/{0}/history")]
    [InlineData("GET", "/api/privacy/requests/{0}")]
    [InlineData("GET", "/api/privacy/requests/{0}/record")]
    [InlineData("POST", "/api/privacy/requests/{0}/start")]
    [InlineData("GET", "/api/privacy/audit/verify")]
    public async Task A_learner_calling_a_compliance_endpoint_is_forbidden_even_for_their_own_request(string method, string path)
    {
        var learner = Guid.NewGuid();
        var request = await service.SubmitAsync(learner, PrivacyRequestKind.Access);
        using var client = service.ClientFor(learner);

        using var message = new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, request.Id));
        if (method == "POST")
        {
            message.Content = JsonContent.Create(new { reason = "I approve myself." });
        }

        using var response = await client.SendAsync(message, PrivacyApi.Cancellation);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var mine = service.ClientFor(learner);
        (await mine.GetFromJsonAsync<PrivacyRequestResponse[]>("/api/privacy/me/requests", PrivacyApi.Json, PrivacyApi.Cancellation))!
            .ShouldHaveSingleItem().Status.ShouldBe(PrivacyRequestStatus.Received);
    }
}
