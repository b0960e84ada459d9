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
    public async Task A_new_learner_finds_the_welcome_email_in_the_stacks_mail_server()
    {
        var learner = await stack.App.RegisterLearnerAsync(TestContext.Current.CancellationToken);
        using var inbox = new StackMailbox(stack.App);

        // Identity's outbox -> broker -> Notifications' inbox -> SMTP -> smtp4dev: seconds, not minutes.
        var subjects = await Eventually.ValueAsync(
            async () => await inbox.SubjectsAsync(learner.Email) is { Length: > 0 } arrived ? arrived : null,
            "mail reached the learner", TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        subjects.ShouldBe(["Welcome to Certometer"]);
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_new_address_is_used_once_its_owner_opens_the_link_mailed_there_and_the_old_address_is_told_first()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var tokens = await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken);
        using var identity = stack.App.ClientFor("identity", tokens);
        using var inbox = new StackMailbox(stack.App);
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
