using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Certometer.TestInfrastructure;

namespace Certometer.EndToEnd.Tests;

public sealed class ConsentWithdrawalTests(StackFixture stack)
{
    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_marketing_withdrawal_in_the_privacy_centre_reaches_Notifications_and_a_consent_in_Notifications_preferences_goes_through_the_ledger()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var marker = Guid.NewGuid().ToString("N")[..12];
        var learner = await stack.App.RegisterLearnerAsync(
            new Learner(Guid.Empty, $"Learner {marker}", $"withdraws.{marker}@example.test", $"passphrase-{marker}", "+49 30 5550100"), marketing: true, cancellationToken);
        var token = await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken);
        using var privacy = Client("privacy-rights", token);
        using var notifications = Client("notifications", token);
        await Eventually.HoldsAsync(
            async () => await MarketingEmailsAsync(notifications) == true, "the registration consent reached Notifications", cancellationToken: cancellationToken);
        await Eventually.HoldsAsync(
            async () => (await MyConsentsAsync(privacy)).GetProperty("history").GetArrayLength() == 2, "the registration consent reached the ledger", cancellationToken: cancellationToken);

        using var withdrawal = await privacy.PutAsJsonAsync("/api/privacy/me/consents", new { marketing = false, analytics = true }, cancellationToken);

        withdrawal.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.HoldsAsync(
            async () => await MarketingEmailsAsync(notifications) == false, "the withdrawal reached Notifications", cancellationToken: cancellationToken);
        var consents = await MyConsentsAsync(privacy);
        consents.GetProperty("marketing").GetProperty("given").GetBoolean().ShouldBeFalse();
        consents.GetProperty("marketing").GetProperty("source").GetString().ShouldBe("privacy-centre");
        consents.GetProperty("history").EnumerateArray()
            .Select(entry => (entry.GetProperty("kind").GetString(), entry.GetProperty("given").GetBoolean(), entry.GetProperty("source").GetString()))
            .Where(entry => entry.Item1 == "marketing")
            .ShouldBe([("marketing", true, "registration"), ("marketing", false, "privacy-centre")]);

        // Consent again, from Notifications' own preferences: the ledger records it and only then does Notifications act on it.
        using var consentAgain = await notifications.PutAsJsonAsync("/api/notifications/me/preferences", new { marketingEmails = true }, cancellationToken);
        consentAgain.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await Eventually.HoldsAsync(
            async () => await MarketingEmailsAsync(notifications) == true, "the ledger put the consent in force at Notifications", cancellationToken: cancellationToken);
        var afterwards = await MyConsentsAsync(privacy);
        afterwards.GetProperty("marketing").GetProperty("source").GetString().ShouldBe("notification-preferences");
        afterwards.GetProperty("analytics").GetProperty("given").GetBoolean().ShouldBeTrue("a marketing choice leaves the analytics one in force");
    }

    private HttpClient Client(string service, ApiTokens tokens) => stack.App.ClientFor(service, tokens);

    private static async Task<bool?> MarketingEmailsAsync(HttpClient notifications)
    {
        using var preferences = JsonDocument.Parse(await notifications.GetStringAsync("/api/notifications/me/preferences", TestContext.Current.CancellationToken));
        return preferences.RootElement.GetProperty("marketingEmails").GetBoolean();
    }

    private static async Task<JsonElement> MyConsentsAsync(HttpClient privacy)
    {
        using var consents = JsonDocument.Parse(await privacy.GetStringAsync("/api/privacy/me/consents", TestContext.Current.CancellationToken));
        return consents.RootElement.Clone();
    }
}
