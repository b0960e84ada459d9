using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Web;
using Aspire.Hosting.Testing;
using Certometer.TestInfrastructure;

namespace Certometer.EndToEnd.Tests;

public sealed partial class EmailTests(StackFixture stack)
{
    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_new_learner_gets_the_sign_up_link_and_once_it_is_opened_the_welcome_email_in_the_stacks_mail_server()
    {
        // Registration waits for the link in the first email (Accounts.RegisterLearnerAsync reads it from smtp4dev).
        var learner = await stack.App.RegisterLearnerAsync(TestContext.Current.CancellationToken);
        using var inbox = new StackMailbox(stack.App.GetEndpoint("mail", "http"));

        // Identity's outbox -> broker -> Notifications' inbox -> SMTP -> smtp4dev: seconds, not minutes.
        var subjects = await Eventually.ValueAsync(
            async () => await inbox.SubjectsAsync(learner.Email) is { Length: > 1 } arrived ? arrived : null,
            "the welcome followed", TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        subjects.ShouldBe(["Welcome to Certometer", StackMailbox.SignUpConfirmationSubject]);
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Signing_up_with_a_registered_address_mails_its_owner_a_notice_and_no_link()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var owner = await stack.App.RegisterLearnerAsync(cancellationToken);
        using var inbox = new StackMailbox(stack.App.GetEndpoint("mail", "http"));

        using var http = new HttpClient { BaseAddress = stack.App.IdentityUri() };
        using var again = await http.PostAsJsonAsync("/api/accounts", new
        {
            name = "Someone Else",
            email = owner.Email,
            password = "another-long-passphrase",
            marketingConsent = true,
            analyticsConsent = true,
        }, cancellationToken);
        again.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var subjects = await Eventually.ValueAsync(
            async () => await inbox.SubjectsAsync(owner.Email) is { } arrived && arrived.Contains("Someone tried to sign up with your Certometer address") ? arrived : null,
            "the owner was told", TimeSpan.FromSeconds(60), cancellationToken);
        subjects.Count(subject => subject == StackMailbox.SignUpConfirmationSubject).ShouldBe(1, "only the owner's own sign-up sent a link");
        await stack.App.SignInAsync(owner.Email, owner.Password, cancellationToken);
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_new_address_is_used_once_its_owner_opens_the_link_mailed_there_and_the_old_address_is_told_first()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var tokens = await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken);
        using var identity = stack.App.ClientFor("identity", tokens);
        using var inbox = new StackMailbox(stack.App.GetEndpoint("mail", "http"));
        var newEmail = $"moved.{Guid.NewGuid():N}@example.test";

        using (var asked = await identity.PutAsJsonAsync(
            "/api/me", new { name = learner.Name, email = newEmail, currentPassword = learner.Password }, cancellationToken))
        {
            asked.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Identity -> broker -> Notifications -> SMTP -> smtp4dev, to both addresses.
        var link = await Eventually.ValueAsync(
            async () => await inbox.TextAsync(newEmail, "Confirm your new email address for Certometer") is { } text ? ConfirmationLink().Match(text).Value : null,
            "the confirmation link reached the new address", TimeSpan.FromSeconds(60), cancellationToken);
        var notice = await Eventually.ValueAsync(
            () => inbox.TextAsync(learner.Email, "Someone asked to change the email address of your Certometer account"),
            "the notice reached the current address", TimeSpan.FromSeconds(60), cancellationToken);
        notice.ShouldContain(newEmail);
        notice.ShouldContain("/account/cancel-email-change?account=");

        var query = HttpUtility.ParseQueryString(new Uri(link).Query);
        using var anonymous = new HttpClient { BaseAddress = stack.App.IdentityUri() };
        using (var confirmed = await anonymous.PostAsJsonAsync(
            "/api/accounts/email-confirmations", new { subjectId = query["account"], token = query["token"] }, cancellationToken))
        {
            confirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await stack.App.SignInAsync(newEmail, learner.Password, cancellationToken);
    }

    [GeneratedRegex(@"http\S+/account/confirm-email\?\S+")]
    private static partial Regex ConfirmationLink();
}
