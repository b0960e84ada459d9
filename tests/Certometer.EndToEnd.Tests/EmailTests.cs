using System.Text.Json;
using Aspire.Hosting.Testing;

namespace Certometer.EndToEnd.Tests;

public sealed class EmailTests(StackFixture stack)
{
    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_new_learner_finds_the_welcome_email_in_the_stacks_mail_server()
    {
        var learner = await stack.App.RegisterLearnerAsync(TestContext.Current.CancellationToken);
        using var inbox = new HttpClient { BaseAddress = stack.App.GetEndpoint("mail", "http") };

        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        string[] subjects = [];
        // Identity's outbox -> broker -> Notifications' inbox -> SMTP -> smtp4dev: seconds, not minutes.
        while (subjects.Length == 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            using var page = JsonDocument.Parse(await inbox.GetStringAsync(
                $"/api/messages?searchTerms={Uri.EscapeDataString(learner.Email)}&pageSize=50", TestContext.Current.CancellationToken));
            subjects = [.. page.RootElement.GetProperty("results").EnumerateArray()
                .Where(message => message.GetProperty("to").EnumerateArray().Any(to => to.GetString() == learner.Email))
                .Select(message => message.GetProperty("subject").GetString()!)];
        }

        subjects.ShouldBe(["Welcome to Certometer"]);
    }
}
