using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Requests;

namespace Certometer.PrivacyRights.Tests;

public sealed class SubjectRequestTests(PrivacyRightsService service)
{
    [Fact]
    public async Task A_second_open_request_of_the_same_kind_is_refused_with_a_problem_naming_the_first()
    {
        var subject = Guid.NewGuid();
        var first = await service.SubmitAsync(subject, PrivacyRequestKind.Erasure);

        using var client = service.ClientFor(subject);
        using var duplicate = await client.PostAsJsonAsync("/api/privacy/requests", new { kind = "Erasure" }, PrivacyApi.Cancellation);

        duplicate.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        duplicate.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await duplicate.ReadAsync<JsonElement>();
        problem.GetProperty("existingRequestId").GetGuid().ShouldBe(first.Id);
        problem.GetProperty("detail").GetString()!.ShouldContain(first.Id.ToString());
        // A different right is not a duplicate.
        await service.SubmitAsync(subject, PrivacyRequestKind.Access);
    }

    [Fact]
    public async Task A_request_is_due_one_calendar_month_after_it_was_received_and_shows_the_days_left()
    {
        var subject = Guid.NewGuid();
        var before = DateTimeOffset.UtcNow;
        var created = await service.SubmitAsync(subject, PrivacyRequestKind.Portability, "alice.contact@example.org");

        created.Status.ShouldBe(PrivacyRequestStatus.Received);
        created.ReceivedAt.ShouldBeInRange(before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        created.Deadline.ShouldBe(created.ReceivedAt.AddMonths(1));
        var expectedDays = (int)Math.Ceiling((created.Deadline - DateTimeOffset.UtcNow).TotalDays);

        using var client = service.ClientFor(subject);
        var mine = await client.GetFromJsonAsync<PrivacyRequestResponse[]>("/api/privacy/me/requests", PrivacyApi.Json, PrivacyApi.Cancellation);

        var listed = mine.ShouldHaveSingleItem();
        listed.Id.ShouldBe(created.Id);
        listed.Deadline.ShouldBe(created.Deadline);
        listed.DaysLeft.ShouldBe(expectedDays);
        listed.DaysLeft!.Value.ShouldBeInRange(28, 31);
        listed.ContactEmail.ShouldBe("alice.contact@example.org");
    }

    [Fact]
    public async Task An_invalid_contact_email_or_unknown_kind_is_a_validation_problem()
    {
        using var client = service.ClientFor(Guid.NewGuid());

        using var badEmail = await client.PostAsJsonAsync("/api/privacy/requests", new { kind = "Access", contactEmail = "not-an-address" }, PrivacyApi.Cancellation);
        using var noKind = await client.PostAsJsonAsync("/api/privacy/requests", new { }, PrivacyApi.Cancellation);

        badEmail.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badEmail.ReadAsync<JsonElement>()).GetProperty("errors").TryGetProperty("contactEmail", out _).ShouldBeTrue();
        noKind.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noKind.ReadAsync<JsonElement>()).GetProperty("errors").TryGetProperty("kind", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Another_learner_can_neither_see_nor_cancel_a_request_and_is_told_it_does_not_exist()
    {
        var alice = Guid.NewGuid();
        var request = await service.SubmitAsync(alice, PrivacyRequestKind.Erasure);

        using var bob = service.ClientFor(Guid.NewGuid());
        var bobsRequests = await bob.GetFromJsonAsync<PrivacyRequestResponse[]>("/api/privacy/me/requests", PrivacyApi.Json, PrivacyApi.Cancellation);
        using var cancel = await bob.PostAsync($"/api/privacy/me/requests/{request.Id}/cancel", null, PrivacyApi.Cancellation);

        bobsRequests.ShouldBeEmpty();
        cancel.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var aliceClient = service.ClientFor(alice);
        var alices = await aliceClient.GetFromJsonAsync<PrivacyRequestResponse[]>("/api/privacy/me/requests", PrivacyApi.Json, PrivacyApi.Cancellation);
        alices.ShouldHaveSingleItem().Status.ShouldBe(PrivacyRequestStatus.Received);
    }

    [Fact]
    public async Task A_subject_cancels_an_open_request_once_and_then_may_make_a_new_one()
    {
        var subject = Guid.NewGuid();
        var request = await service.SubmitAsync(subject, PrivacyRequestKind.Restriction);
        using var client = service.ClientFor(subject);

        using var cancelled = await client.PostAsync($"/api/privacy/me/requests/{request.Id}/cancel", null, PrivacyApi.Cancellation);
        using var again = await client.PostAsync($"/api/privacy/me/requests/{request.Id}/cancel", null, PrivacyApi.Cancellation);

        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await cancelled.ReadAsync<PrivacyRequestResponse>();
        body.Status.ShouldBe(PrivacyRequestStatus.Cancelled);
        body.DaysLeft.ShouldBeNull();
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await service.SubmitAsync(subject, PrivacyRequestKind.Restriction);
        (await service.StagedEventsAsync(request.Id)).ShouldBe(
        [
            typeof(PrivacyRequestReceived).FullName + ", Certometer.Contracts",
            typeof(PrivacyRequestCancelled).FullName + ", Certometer.Contracts",
        ]);
    }
}
