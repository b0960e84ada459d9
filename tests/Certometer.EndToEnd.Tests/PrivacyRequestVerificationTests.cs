using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Certometer.TestInfrastructure;

namespace Certometer.EndToEnd.Tests;

public sealed partial class PrivacyRequestVerificationTests(StackFixture stack)
{
    private const string VerificationSubject = "Your privacy request needs verification";

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Someone_who_does_not_sign_in_makes_a_request_with_the_code_Identity_had_emailed_to_their_account()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        using var privacy = new HttpClient { BaseAddress = stack.App.GetEndpoint("privacy-rights", "http") };
        using var inbox = new StackMailbox(stack.App.GetEndpoint("mail", "http"));

        // Typed in another case: Identity matches addresses regardless of case and writes to the account's own.
        using var started = await privacy.PostAsJsonAsync(
            "/api/privacy/requests/unverified", new { email = learner.Email.ToUpperInvariant(), kind = "Access" }, cancellationToken);
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var verificationId = (await started.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("verificationId").GetGuid();

        // PrivacyRights' outbox -> Identity (finds the account) -> Notifications -> SMTP -> smtp4dev.
        var code = await Eventually.ValueAsync(() => CodeInMailAsync(inbox, learner.Email), "the code reached the account's mailbox",
            TimeSpan.FromSeconds(60), cancellationToken);
        // Identity's answer to PrivacyRights travels in parallel with the email; a code that arrives first is told to retry.
        var request = await Eventually.ValueAsync(
            async () =>
            {
                using var verified = await privacy.PostAsJsonAsync($"/api/privacy/requests/unverified/{verificationId}/verify", new { code }, cancellationToken);
                verified.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.Conflict);
                return verified.StatusCode == HttpStatusCode.Created ? await verified.Content.ReadFromJsonAsync<JsonElement>(cancellationToken) : (object?)null;
            },
            "the code made the request", TimeSpan.FromSeconds(30), cancellationToken);

        var body = (JsonElement)request;
        body.GetProperty("subjectId").GetGuid().ShouldBe(learner.SubjectId);
        body.GetProperty("channel").GetString().ShouldBe("EmailVerified");
        await Eventually.HoldsAsync(
            async () => (await inbox.SubjectsAsync(learner.Email)).Contains("We received your privacy request"),
            "the usual confirmation followed", TimeSpan.FromSeconds(60), cancellationToken);

        // Exports are flushed every second; give the last spans and log records time to arrive.
        await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken);
        stack.Telemetry.NumberOccurrences(code!).ShouldBeEmpty("the one-time code leaked into telemetry");
        stack.Telemetry.Occurrences(learner.Email.ToUpperInvariant()).ShouldBeEmpty("the address typed leaked into telemetry");
    }

    private static async Task<string?> CodeInMailAsync(StackMailbox inbox, string email) =>
        await inbox.TextAsync(email, VerificationSubject) is { } text && CodeLine().Match(text) is { Success: true } match ? match.Groups[1].Value : null;

    // The code stands on a line of its own in the text part.
    [GeneratedRegex(@"^\s*(\d{6})\s*$", RegexOptions.Multiline)]
    private static partial Regex CodeLine();
}
