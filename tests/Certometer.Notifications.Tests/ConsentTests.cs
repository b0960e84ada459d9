using System.Net;
using System.Net.Http.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Tests;

/// <summary>Marketing consent in Notifications is what the consent ledger put in force, in the ledger's order.</summary>
public sealed class ConsentTests(NotificationsService service)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_choice_in_the_preferences_goes_to_the_consent_ledger_and_changes_nothing_here_until_the_ledger_answers()
    {
        var person = await service.RegisterAsync(marketing: true);
        using var client = ClientFor(person);

        using var response = await client.PutAsJsonAsync("/api/notifications/me/preferences", new { marketingEmails = false }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        response.Headers.Location!.ToString().ShouldBe("/api/notifications/me/preferences");
        var sent = (await service.QueryAsync(db => db.StagedEventsAsync<ConsentChoicesRecorded>(Cancel))).Where(e => e.SubjectId == person.SubjectId).ToList();
        var choice = sent.ShouldHaveSingleItem();
        (choice.Marketing, choice.Analytics, choice.Source).ShouldBe((false, (bool?)null, "notification-preferences"),
            "only the marketing choice was made here; the analytics one in force stands");
        (await MarketingConsentAsync(person.SubjectId)).ShouldBeTrue("the ledger, not this endpoint, puts the withdrawal in force");

        await service.DeliverAsync(new ConsentsInForce(person.SubjectId, Marketing: false, Analytics: false, Sequence: 2, DateTimeOffset.UtcNow));
        (await MarketingConsentAsync(person.SubjectId)).ShouldBeFalse();
        (await client.GetFromJsonAsync<Preferences.NotificationPreferences>("/api/notifications/me/preferences", Cancel))!.MarketingEmails.ShouldBeFalse();
    }

    [Fact]
    public async Task A_withdrawal_is_never_overruled_by_an_earlier_ledger_state_arriving_late_even_with_a_later_clock()
    {
        var person = await service.RegisterAsync(marketing: true);
        var now = DateTimeOffset.UtcNow;
        await service.DeliverAsync(new ConsentsInForce(person.SubjectId, Marketing: false, Analytics: false, Sequence: 3, now));

        // Recorded before the withdrawal, delivered after it, and stamped by a clock running ahead.
        await service.DeliverAsync(new ConsentsInForce(person.SubjectId, Marketing: true, Analytics: false, Sequence: 2, now.AddHours(1)));

        (await MarketingConsentAsync(person.SubjectId)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_preferences_change_without_a_choice_is_a_validation_problem_and_sends_nothing()
    {
        var person = await service.RegisterAsync(marketing: true);
        using var client = ClientFor(person);

        using var response = await client.PutAsJsonAsync("/api/notifications/me/preferences", new { }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await service.QueryAsync(db => db.StagedEventsAsync<ConsentChoicesRecorded>(Cancel))).ShouldNotContain(e => e.SubjectId == person.SubjectId);
    }

    private HttpClient ClientFor(Person person)
    {
        var client = service.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new(
            "Bearer", TestTokens.ForPerson(person.SubjectId, "learner", "notifications", "urn:certometer:notifications"));
        return client;
    }

    private Task<bool> MarketingConsentAsync(Guid subjectId) =>
        service.QueryAsync(db => db.SubjectSettings.Where(s => s.SubjectId == subjectId).Select(s => s.MarketingConsent).SingleAsync(Cancel));
}
