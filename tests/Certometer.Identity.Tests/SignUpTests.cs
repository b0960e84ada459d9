using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Contracts.Identity;
using Certometer.Identity.SignIn;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.Tests;

public sealed class SignUpTests(IdentityService identity)
{
    [Fact]
    public async Task A_sign_up_cannot_sign_in_and_is_announced_to_nobody_until_the_link_sent_to_its_address_is_opened()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var links = await identity.SignUpLinks;
        var marker = Guid.NewGuid().ToString("N")[..12];
        var email = $"learner.{marker}@example.test";
        using var http = identity.Factory.CreateClient();

        using (var accepted = await http.PostAsJsonAsync("/api/accounts", Learners.Registration(marker), cancellationToken))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var subjectId = await AccountIdAsync(email);
        (await identity.EventsAsync<LearnerRegistered>()).ShouldNotContain(e => e.SubjectId == subjectId);
        (await identity.EventsAsync<ConsentChoicesRecorded>()).ShouldNotContain(e => e.SubjectId == subjectId);
        using (var browser = identity.Browser())
        {
            using var refused = await new SignInFlow(browser).PostSignInFormAsync(
                new Uri(browser.BaseAddress!, "/account/login"), email, $"passphrase-{marker}", cancellationToken);
            (await refused.Content.ReadAsStringAsync(cancellationToken)).ShouldContain(WebUtility.HtmlEncode(LoginModel.AwaitingConfirmation));
        }

        var sent = await TestSubjectKeyring.Shared.OpenAsync(await Eventually.ValueAsync(
            () => Task.FromResult(links.FirstOrDefault(e => e.SubjectId == subjectId)), "Identity published the sign-up link", cancellationToken: cancellationToken));
        sent.Email.ShouldBe(email);
        var link = ConfirmationLink.Parse(sent.ConfirmationUrl);
        link.SubjectId.ShouldBe(subjectId);
        using (var confirmed = await http.PostAsJsonAsync("/api/accounts/email-confirmations", link.Body, cancellationToken))
        {
            confirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await confirmed.Content.ReadAsStringAsync(cancellationToken));
        }

        (await identity.WaitForEventAsync<LearnerRegistered>(e => e.SubjectId == subjectId)).Email.ShouldBe(email);
        var consent = await identity.WaitForEventAsync<ConsentChoicesRecorded>(e => e.SubjectId == subjectId);
        (consent.Marketing, consent.Analytics).ShouldBe((false, true));
        await identity.SignInAsync(new TestLearner(subjectId, $"Learner {marker}", email, $"passphrase-{marker}", ""));

        using var again = await http.PostAsJsonAsync("/api/accounts/email-confirmations", link.Body, cancellationToken);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a used link does not work twice");
    }

    [Fact]
    public async Task Signing_up_with_a_registered_address_answers_as_for_a_new_one_creates_nothing_and_tells_the_owner()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var notices = await identity.ReceiveAsync<SignUpAttemptedForExistingAccount>();
        var links = await identity.SignUpLinks;
        var owner = await identity.RegisterAsync();
        using var http = identity.Factory.CreateClient();
        var newMarker = Guid.NewGuid().ToString("N")[..12];

        using var forNew = await http.PostAsJsonAsync("/api/accounts", Learners.Registration(newMarker), cancellationToken);
        using var forTaken = await http.PostAsJsonAsync(
            "/api/accounts", Learners.Registration(Guid.NewGuid().ToString("N")[..12], email: owner.Email.ToUpperInvariant()), cancellationToken);

        forTaken.StatusCode.ShouldBe(forNew.StatusCode);
        forTaken.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        Message(await forTaken.Content.ReadAsStringAsync(cancellationToken)).ShouldBe(Message(await forNew.Content.ReadAsStringAsync(cancellationToken)));
        var normalized = owner.Email.ToUpperInvariant();
        (await identity.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == normalized, cancellationToken))).ShouldBe(1);
        await Eventually.ValueAsync(
            () => Task.FromResult(notices.FirstOrDefault(e => e.SubjectId == owner.SubjectId)), "the owner is told", cancellationToken: cancellationToken);
        var newcomer = await AccountIdAsync($"learner.{newMarker}@example.test");
        await Eventually.ValueAsync(
            () => Task.FromResult(links.FirstOrDefault(e => e.SubjectId == newcomer)), "the new address got its link", cancellationToken: cancellationToken);
        links.Count(e => e.SubjectId == owner.SubjectId).ShouldBe(1, "the owner's own sign-up sent one link, and the second sign-up none");
        await identity.SignInAsync(owner);
    }

    [Fact]
    public async Task A_later_sign_up_replaces_one_that_waits_so_nobody_can_hold_an_address_they_cannot_read()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var marker = Guid.NewGuid().ToString("N")[..12];
        var email = $"victim.{marker}@example.test";
        using var http = identity.Factory.CreateClient();
        using (var squatted = await http.PostAsJsonAsync("/api/accounts", Learners.Registration("squatter", email: email, password: "the-squatters-passphrase"), cancellationToken))
        {
            squatted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var squatter = await AccountIdAsync(email);
        using (var tooSoon = await http.PostAsJsonAsync("/api/accounts", Learners.Registration(marker, email: email), cancellationToken))
        {
            tooSoon.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        (await AccountIdAsync(email)).ShouldBe(squatter, "within a minute the link already sent stands, so an address cannot be flooded");

        // As if the minute had passed.
        await identity.QueryAsync(db => db.Users.Where(u => u.Id == squatter)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.CreatedAt, u => u.CreatedAt.AddMinutes(-2)), cancellationToken));
        using (var owners = await http.PostAsJsonAsync("/api/accounts", Learners.Registration(marker, email: email), cancellationToken))
        {
            owners.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var replacement = await AccountIdAsync(email);
        replacement.ShouldNotBe(squatter);
        (await identity.QueryAsync(db => db.Users.CountAsync(u => u.Id == squatter, cancellationToken))).ShouldBe(0, "the waiting account is gone");
        var link = await Learners.WaitingLinkAsync(identity.Factory, email);
        using (var confirmed = await http.PostAsJsonAsync("/api/accounts/email-confirmations", link.Body, cancellationToken))
        {
            confirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await identity.SignInAsync(new TestLearner(replacement, $"Learner {marker}", email, $"passphrase-{marker}", ""));
        (await identity.EventsAsync<LearnerRegistered>()).ShouldNotContain(e => e.SubjectId == squatter);
    }

    private static string Message(string body) => JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;

    private Task<Guid> AccountIdAsync(string email)
    {
        var normalized = email.ToUpperInvariant();
        return identity.QueryAsync(db => db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken));
    }
}
