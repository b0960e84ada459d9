using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Web;
using Certometer.Contracts.Identity;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.Tests;

public sealed class EmailChangeTests(IdentityService identity)
{
    [Fact]
    public async Task A_new_email_without_the_current_password_or_with_a_wrong_one_is_refused_and_changes_nothing()
    {
        var learner = await identity.RegisterAsync();
        using var http = await SignedInAsync(learner);
        var newEmail = $"moved.{Guid.NewGuid():N}@example.test";

        foreach (var password in new[] { null, "not-the-password-at-all" })
        {
            using var refused = await http.PutAsJsonAsync("/api/me", Change(learner, newEmail, password), TestContext.Current.CancellationToken);

            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("currentPassword");
        }

        var profile = await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken);
        profile.ShouldBe(new Profile(learner.Email, null));
        (await StagedChangesAsync(learner.SubjectId)).ShouldBe(0, "no link goes anywhere");
        (await identity.EventsAsync<SubjectDataRectified>()).ShouldNotContain(e => e.SubjectId == learner.SubjectId);
    }

    [Fact]
    public async Task A_new_email_takes_effect_only_through_the_link_sent_to_it_and_the_link_works_once()
    {
        var learner = await identity.RegisterAsync();
        var sent = await identity.ReceiveAsync<EmailChangeRequested>();
        using var http = await SignedInAsync(learner);
        var newEmail = $"moved.{Guid.NewGuid():N}@example.test";

        using (var asked = await http.PutAsJsonAsync("/api/me", Change(learner, newEmail, learner.Password), TestContext.Current.CancellationToken))
        {
            asked.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await asked.Content.ReadFromJsonAsync<Profile>(TestContext.Current.CancellationToken)).ShouldBe(new Profile(learner.Email, newEmail));
        }

        var requested = await LinkSentAsync(sent, learner.SubjectId);
        requested.NewEmail.ShouldBe(newEmail);
        // The PUT replaced the rest of the profile (fields left out are cleared), which holders hear of at once.
        (await identity.EventsAsync<SubjectDataRectified>())
            .ShouldNotContain(e => e.SubjectId == learner.SubjectId && e.ChangedFields.ContainsKey("email"), "nobody is told of an address not yet confirmed");

        var (subjectId, token) = ConfirmationLink.Parse(requested.ConfirmationUrl);
        subjectId.ShouldBe(learner.SubjectId);
        using var anonymous = identity.Factory.CreateClient();
        using (var forged = await anonymous.PostAsJsonAsync("/api/accounts/email-confirmations", new { subjectId, token = token[..^4] + "AAAA" }, TestContext.Current.CancellationToken))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            forged.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        (await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken)).ShouldBe(new Profile(learner.Email, newEmail));

        using (var confirmed = await anonymous.PostAsJsonAsync("/api/accounts/email-confirmations", new { subjectId, token }, TestContext.Current.CancellationToken))
        {
            confirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await confirmed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        (await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken)).ShouldBe(new Profile(newEmail, null));
        var rectified = (await identity.EventsAsync<SubjectDataRectified>()).Single(e => e.SubjectId == learner.SubjectId && e.ChangedFields.ContainsKey("email"));
        rectified.ChangedFields.ShouldBe(new Dictionary<string, string?> { ["email"] = newEmail });
        await identity.SignInAsync(learner with { Email = newEmail });

        using var again = await anonymous.PostAsJsonAsync("/api/accounts/email-confirmations", new { subjectId, token }, TestContext.Current.CancellationToken);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a used link does not work twice");
    }

    [Fact]
    public async Task The_current_address_stops_the_change_with_the_link_in_its_notice_and_the_confirmation_link_dies()
    {
        var learner = await identity.RegisterAsync();
        var sent = await identity.ReceiveAsync<EmailChangeRequested>();
        using var http = await SignedInAsync(learner);
        var newEmail = $"attacker.{Guid.NewGuid():N}@example.test";
        (await http.PutAsJsonAsync("/api/me", Change(learner, newEmail, learner.Password), TestContext.Current.CancellationToken)).Dispose();
        var requested = await LinkSentAsync(sent, learner.SubjectId);

        using var browser = identity.Browser();
        using (var opened = await browser.GetAsync(new Uri(requested.CancellationUrl).PathAndQuery, TestContext.Current.CancellationToken))
        {
            opened.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken)).ShouldBe(new Profile(learner.Email, newEmail), "opening the link only asks");
        using (var stopped = await BrowserForm.SubmitAsync(
            browser, new Uri(browser.BaseAddress!, new Uri(requested.CancellationUrl).PathAndQuery), new Dictionary<string, string>(), TestContext.Current.CancellationToken))
        {
            stopped.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await stopped.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("The change is stopped");
        }

        (await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken)).ShouldBe(new Profile(learner.Email, null));
        var (subjectId, token) = ConfirmationLink.Parse(requested.ConfirmationUrl);
        using var anonymous = identity.Factory.CreateClient();
        using var confirmed = await anonymous.PostAsJsonAsync("/api/accounts/email-confirmations", new { subjectId, token }, TestContext.Current.CancellationToken);
        confirmed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken))!.Email.ShouldBe(learner.Email);
    }

    [Fact]
    public async Task Confirming_an_address_that_another_account_took_in_the_meantime_is_refused_and_keeps_the_current_one()
    {
        var learner = await identity.RegisterAsync();
        var sent = await identity.ReceiveAsync<EmailChangeRequested>();
        using var http = await SignedInAsync(learner);
        var newEmail = $"contested.{Guid.NewGuid():N}@example.test";
        (await http.PutAsJsonAsync("/api/me", Change(learner, newEmail, learner.Password), TestContext.Current.CancellationToken)).Dispose();
        var (subjectId, token) = ConfirmationLink.Parse((await LinkSentAsync(sent, learner.SubjectId)).ConfirmationUrl);

        using var anonymous = identity.Factory.CreateClient();
        using (var other = await anonymous.PostAsJsonAsync(
            "/api/accounts", Learners.Registration(Guid.NewGuid().ToString("N")[..12], email: newEmail), TestContext.Current.CancellationToken))
        {
            other.StatusCode.ShouldBe(HttpStatusCode.Accepted, "an address only asked for is nobody's yet");
        }

        using (var otherConfirmed = await anonymous.PostAsJsonAsync(
            "/api/accounts/email-confirmations", (await Learners.WaitingLinkAsync(identity.Factory, newEmail)).Body, TestContext.Current.CancellationToken))
        {
            otherConfirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var confirmed = await anonymous.PostAsJsonAsync("/api/accounts/email-confirmations", new { subjectId, token }, TestContext.Current.CancellationToken);

        confirmed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        confirmed.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken))!.Email.ShouldBe(learner.Email);
    }

    [Fact]
    public async Task A_sign_up_nobody_confirmed_does_not_hold_an_address_against_a_confirmed_change_to_it()
    {
        var learner = await identity.RegisterAsync();
        var sent = await identity.ReceiveAsync<EmailChangeRequested>();
        using var http = await SignedInAsync(learner);
        var newEmail = $"squatted.{Guid.NewGuid():N}@example.test";
        using var anonymous = identity.Factory.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/accounts", Learners.Registration("squatter", email: newEmail), TestContext.Current.CancellationToken)).Dispose();
        var squatter = await Learners.WaitingLinkAsync(identity.Factory, newEmail);

        using (var asked = await http.PutAsJsonAsync("/api/me", Change(learner, newEmail, learner.Password), TestContext.Current.CancellationToken))
        {
            asked.StatusCode.ShouldBe(HttpStatusCode.OK, "a waiting sign-up is nobody's account");
        }

        var link = ConfirmationLink.Parse((await LinkSentAsync(sent, learner.SubjectId)).ConfirmationUrl);
        using (var confirmed = await anonymous.PostAsJsonAsync("/api/accounts/email-confirmations", link.Body, TestContext.Current.CancellationToken))
        {
            confirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await confirmed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        (await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken))!.Email.ShouldBe(newEmail);
        (await identity.QueryAsync(db => db.Users.CountAsync(u => u.Id == squatter.SubjectId, TestContext.Current.CancellationToken))).ShouldBe(0);
    }

    private async Task<HttpClient> SignedInAsync(TestLearner learner)
    {
        var (_, tokens, browser) = await identity.SignInAsync(learner);
        browser.Dispose();
        var http = identity.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return http;
    }

    private static object Change(TestLearner learner, string email, string? currentPassword) =>
        new { name = learner.Name, email, phone = learner.Phone, currentPassword };

    private static async Task<EmailChangeRequested> LinkSentAsync(System.Collections.Concurrent.ConcurrentBag<EmailChangeRequested> sent, Guid subjectId) =>
        await TestSubjectKeyring.Shared.OpenAsync(await Eventually.ValueAsync(
            () => Task.FromResult(sent.FirstOrDefault(e => e.SubjectId == subjectId)),
            "Notifications was asked to send the confirmation link",
            cancellationToken: TestContext.Current.CancellationToken));

    private Task<int> StagedChangesAsync(Guid subjectId) => identity.QueryAsync(db => db.Database
        .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE message_type = {typeof(EmailChangeRequested).FullName + ", Certometer.Contracts"} AND {subjectId} = ANY(mentions)")
        .SingleAsync(TestContext.Current.CancellationToken));

    private sealed record Profile(string Email, string? PendingEmail);
}
