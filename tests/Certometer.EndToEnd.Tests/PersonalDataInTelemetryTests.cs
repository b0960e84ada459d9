using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;

namespace Certometer.EndToEnd.Tests;

// Runs with the outage tests, alone and late, so the logs it searches hold the rest of the run too.
[Collection(nameof(StackOutages))]
public sealed class PersonalDataInTelemetryTests(StackFixture stack)
{
    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_learners_name_email_and_phone_never_appear_in_any_log_line_or_telemetry_of_any_service()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var marker = Guid.NewGuid().ToString("N")[..10];
        var learner = await stack.App.RegisterLearnerAsync(
            new Learner(Guid.Empty, $"Marta Marker{marker}", $"marta.{marker}@example.test", $"passphrase-{marker}", $"+44 20 {Random.Shared.Next(1_000_000, 9_999_999)}"),
            marketing: true,
            cancellationToken);
        var token = await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken);

        // Purchase: order (billing name), payment, invoice, enrollment.
        var operatorToken = await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken);
        var courseId = await stack.App.PublishPaidCourseAsync(operatorToken, cancellationToken);
        using var billing = stack.App.ClientFor("billing", token);
        var order = await Purchases.PlaceOrderAsync(billing, courseId, learner.Name, cancellationToken);
        await Purchases.PayAsync(billing, order, cancellationToken);

        // Analytics, signed in.
        using var analytics = stack.App.ClientFor("analytics", token);
        using (var recorded = await analytics.PostAsJsonAsync("/api/analytics/events", new
        {
            page = "/courses/incident-response",
            deviceType = "desktop",
            browser = "firefox",
            language = "en-GB",
            timeZone = "Europe/London",
            occurredAt = DateTimeOffset.UtcNow,
        }, cancellationToken))
        {
            recorded.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        // Rectification: a new phone number travels to every holder.
        var newPhone = $"+44 20 {Random.Shared.Next(1_000_000, 9_999_999)}";
        using (var identity = stack.App.ClientFor("identity", token))
        using (var corrected = await identity.PutAsJsonAsync("/api/me", new { name = learner.Name, email = learner.Email, phone = newPhone }, cancellationToken))
        {
            corrected.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Email: welcome, enrollment confirmation and receipt all went out through Notifications.
        using var inbox = new HttpClient { BaseAddress = stack.App.GetEndpoint("mail", "http") };
        await Purchases.EventuallyAsync(async () =>
        {
            using var page = JsonDocument.Parse(await inbox.GetStringAsync($"/api/messages?searchTerms={Uri.EscapeDataString(learner.Email)}&pageSize=50", cancellationToken));
            return page.RootElement.GetProperty("results").GetArrayLength() >= 3 ? "sent" : null;
        }, "the welcome, enrollment and receipt emails");

        // Exports are flushed every second; give the last spans and log records time to arrive.
        await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken);

        // Controls: the sink really holds this run's telemetry and logs, and would find a value that is in them.
        stack.Telemetry.ExportCount.ShouldBeGreaterThan(0, "no telemetry reached the sink, so the search below would prove nothing");
        stack.Telemetry.ConsoleLineCount.ShouldBeGreaterThan(0, "no console output was collected");
        stack.Telemetry.Occurrences("/api/billing/orders").ShouldNotBeEmpty("the purchase's request spans should be in the telemetry");

        foreach (var (what, value) in new[] { ("name", learner.Name), ("email", learner.Email), ("phone", learner.Phone), ("new phone", newPhone) })
        {
            stack.Telemetry.Occurrences(value).ShouldBeEmpty($"the learner's {what} leaked");
        }
    }
}
