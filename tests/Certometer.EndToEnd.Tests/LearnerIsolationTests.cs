using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;

namespace Certometer.EndToEnd.Tests;

public sealed class LearnerIsolationTests(StackFixture stack)
{
    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_learner_never_reads_another_learners_data_through_any_endpoint_open_to_learners()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var alice = await stack.App.RegisterLearnerAsync(cancellationToken);
        var bob = await stack.App.RegisterLearnerAsync(cancellationToken);
        var aliceToken = await stack.App.SignInAsync(alice.Email, alice.Password, cancellationToken);

        // Bob has data in every service first: a profile, an order and invoice, an enrollment, emails.
        var bobToken = await stack.App.SignInAsync(bob.Email, bob.Password, cancellationToken);
        var operatorToken = await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken);
        var courseId = await stack.App.PublishPaidCourseAsync(operatorToken, cancellationToken);
        using var bobsBilling = Client("billing", bobToken);
        var bobsOrder = await Purchases.PlaceOrderAsync(bobsBilling, courseId, bob.Name, cancellationToken);
        await Purchases.PayAsync(bobsBilling, bobsOrder, cancellationToken);
        using var bobsCatalog = Client("catalog", bobToken);
        var bobsEnrollment = await Purchases.EventuallyAsync(async () =>
        {
            var mine = await bobsCatalog.GetFromJsonAsync<List<Enrollment>>("/api/catalog/me/enrollments", cancellationToken) ?? [];
            return mine.FirstOrDefault(e => e.CourseId == courseId)?.Id.ToString();
        }, "Bob's enrollment");

        var readable = AuthorizationMatrix.Rows.Where(row => row.Method == HttpMethod.Get && row.Expected[Caller.Learner] == 200).ToList();
        readable.ShouldNotBeEmpty();
        foreach (var row in readable)
        {
            using var http = Client(row.Service, aliceToken);
            var body = await http.GetStringAsync(row.Path, cancellationToken);
            foreach (var bobsValue in new[] { bob.Email, bob.Name, bob.Phone, bob.SubjectId.ToString(), bobsOrder.ToString(), bobsEnrollment })
            {
                body.ShouldNotContain(bobsValue, Case.Insensitive, $"{row} showed Alice one of Bob's values");
            }
        }

        // Naming Bob's records directly gets Alice nothing, not even a hint that they exist.
        using var asAlice = Client("billing", aliceToken);
        using var order = await asAlice.GetAsync($"/api/billing/me/orders/{bobsOrder}", cancellationToken);
        order.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var aliceInCatalog = Client("catalog", aliceToken);
        using var enrollment = await aliceInCatalog.GetAsync($"/api/catalog/me/enrollments/{bobsEnrollment}", cancellationToken);
        enrollment.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_learner_cannot_take_over_or_change_another_learners_profile()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var alice = await stack.App.RegisterLearnerAsync(cancellationToken);
        var bob = await stack.App.RegisterLearnerAsync(cancellationToken);
        var aliceToken = await stack.App.SignInAsync(alice.Email, alice.Password, cancellationToken);
        var bobToken = await stack.App.SignInAsync(bob.Email, bob.Password, cancellationToken);
        using var asAlice = Client("identity", aliceToken);
        using var asBob = Client("identity", bobToken);

        // Claiming Bob's address (in another case) would make Alice's account answer to Bob's sign-in name.
        using var takeover = await asAlice.PutAsJsonAsync(
            "/api/me", new { name = alice.Name, email = bob.Email.ToUpperInvariant(), currentPassword = alice.Password }, cancellationToken);
        takeover.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        using var rename = await asAlice.PutAsJsonAsync("/api/me", new { name = "Alice Renamed", email = alice.Email }, cancellationToken);
        rename.StatusCode.ShouldBe(HttpStatusCode.OK);

        var bobsProfile = await asBob.GetFromJsonAsync<Profile>("/api/me", cancellationToken);
        bobsProfile.ShouldBe(new Profile(bob.SubjectId, bob.Name, bob.Email, bob.Phone));
        var alicesProfile = await asAlice.GetFromJsonAsync<Profile>("/api/me", cancellationToken);
        alicesProfile.ShouldBe(new Profile(alice.SubjectId, "Alice Renamed", alice.Email, null), "a PUT replaces the profile; the phone left out is cleared");
    }

    private HttpClient Client(string service, ApiTokens tokens) => stack.App.ClientFor(service, tokens);

    private sealed record Profile(Guid SubjectId, string Name, string Email, string? Phone);

    private sealed record Enrollment(Guid Id, Guid CourseId);
}
