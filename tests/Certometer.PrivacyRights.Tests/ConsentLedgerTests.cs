using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Consents;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

// The ledger records the policy version in force, so these tests share the one-at-a-time collection of the policy tests.
[Collection(nameof(PolicyTests))]
public sealed class ConsentLedgerTests(PrivacyRightsService service)
{
    [Fact]
    public async Task Consent_choices_delivered_three_times_are_recorded_once_per_kind_under_a_pseudonym()
    {
        var subject = Guid.NewGuid();
        var recordedAt = new DateTimeOffset(2026, 11, 1, 9, 30, 0, TimeSpan.Zero);
        var messageId = Guid.NewGuid();
        var bus = service.Factory.Services.GetRequiredService<IBus>();
        var choices = new ConsentChoicesRecorded(subject, Marketing: true, Analytics: false, "registration", recordedAt);

        for (var delivery = 0; delivery < 3; delivery++)
        {
            await bus.Publish(choices, context => context.MessageId = messageId, PrivacyApi.Cancellation);
        }

        // Settle: the first delivery writes the inbox row; the other two must find it and add nothing.
        await WaitForLedgerAsync(subject, expected: 2);
        await Task.Delay(TimeSpan.FromSeconds(2), PrivacyApi.Cancellation);

        using var client = service.ClientFor(subject);
        var mine = (await client.GetFromJsonAsync<MyConsents>("/api/privacy/me/consents", PrivacyApi.Json, PrivacyApi.Cancellation))!;
        mine.History.OrderBy(c => c.Kind).Select(c => (c.Kind, c.Given, c.Source)).ShouldBe(
            [("analytics", false, "registration"), ("marketing", true, "registration")]);
        // No policy version can be published back-dated, so none was in force on 1 November.
        mine.History.ShouldAllBe(c => c.PolicyVersion == null && c.RecordedAt == recordedAt);
        mine.Marketing.ShouldBe(new CurrentConsent(true, "registration", null, recordedAt));
        mine.Analytics.ShouldBe(new CurrentConsent(false, "registration", null, recordedAt));
        (await LedgerCountAsync(subject)).ShouldBe(2);
        var stored = await service.InDatabaseAsync(db => db.Database
            .SqlQuery<string>($"SELECT row_to_json(c)::text AS \"Value\" FROM consent_ledger c")
            .ToListAsync(PrivacyApi.Cancellation));
        stored.ShouldAllBe(row => !row.Contains(subject.ToString(), StringComparison.OrdinalIgnoreCase));

        using var someoneElse = service.ClientFor(Guid.NewGuid());
        var theirs = (await someoneElse.GetFromJsonAsync<MyConsents>("/api/privacy/me/consents", PrivacyApi.Json, PrivacyApi.Cancellation))!;
        theirs.History.ShouldBeEmpty();
        theirs.Marketing.ShouldBeNull();
        theirs.Analytics.ShouldBeNull();
    }

    [Fact]
    public async Task Choices_from_Identity_carry_the_policy_version_in_force_when_they_were_made()
    {
        var policy = await service.PublishPolicyAsync(DateTimeOffset.UtcNow, "Version for consents from registration.");
        var subject = Guid.NewGuid();

        await service.Factory.Services.GetRequiredService<IBus>().Publish(
            new ConsentChoicesRecorded(subject, Marketing: false, Analytics: true, "registration", policy.EffectiveAt.AddSeconds(1)), PrivacyApi.Cancellation);

        await WaitForLedgerAsync(subject, expected: 2);
        var entries = await LedgerAsync(subject);
        entries.ShouldAllBe(e => e.PolicyVersion == policy.Version);
    }

    [Fact]
    public async Task A_choice_in_the_privacy_centre_is_appended_with_the_policy_in_force_and_its_state_published_in_sequence_for_the_other_services()
    {
        var policy = await service.PublishPolicyAsync(DateTimeOffset.UtcNow, "Version for consents from the privacy centre.");
        var subject = Guid.NewGuid();
        using var client = service.ClientFor(subject);

        using var response = await client.PutAsJsonAsync("/api/privacy/me/consents", new { marketing = false, analytics = true }, PrivacyApi.Cancellation);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(PrivacyApi.Cancellation));
        var answer = await response.ReadAsync<MyConsents>();
        answer.Marketing!.Given.ShouldBeFalse();
        answer.Analytics!.Given.ShouldBeTrue();
        answer.Marketing.PolicyVersion.ShouldBe(policy.Version);
        answer.Marketing.Source.ShouldBe("privacy-centre");
        var published = (await service.InDatabaseAsync(db => db.StagedEventsAsync<ConsentsInForce>(PrivacyApi.Cancellation)))
            .Where(e => e.SubjectId == subject).ToList();
        var inForce = published.ShouldHaveSingleItem();
        (inForce.Marketing, inForce.Analytics, inForce.Sequence).ShouldBe((false, true, 2L), "what every service now holds, in the ledger's order");
        var entries = await LedgerAsync(subject);
        entries.Select(e => (e.Kind, e.Given, e.Source, e.PolicyVersion, e.Sequence)).Order().ShouldBe(
            [("analytics", true, "privacy-centre", policy.Version, 2L), ("marketing", false, "privacy-centre", policy.Version, 1L)]);

        // A change of mind is appended too; nothing earlier is rewritten.
        using var again = await client.PutAsJsonAsync("/api/privacy/me/consents", new { marketing = true, analytics = false }, PrivacyApi.Cancellation);
        var afterwards = await again.ReadAsync<MyConsents>();
        afterwards.History.Count.ShouldBe(4);
        afterwards.Marketing!.Given.ShouldBeTrue();
        afterwards.Analytics!.Given.ShouldBeFalse();
        afterwards.History.Take(2).Select(c => (c.Kind, c.Given)).Order().ShouldBe([("analytics", true), ("marketing", false)]);
        (await service.InDatabaseAsync(db => db.StagedEventsAsync<ConsentsInForce>(PrivacyApi.Cancellation)))
            .Where(e => e.SubjectId == subject).Max(e => e.Sequence).ShouldBe(4);
    }

    [Fact]
    public async Task A_registration_choice_reaching_the_ledger_after_a_later_choice_is_kept_as_history_and_never_put_in_force()
    {
        var subject = Guid.NewGuid();
        using var client = service.ClientFor(subject);
        using var withdrawal = await client.PutAsJsonAsync("/api/privacy/me/consents", new { marketing = false, analytics = false }, PrivacyApi.Cancellation);
        withdrawal.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Identity's registration event, held up, arrives after the subject already chose in the privacy centre.
        await service.Factory.Services.GetRequiredService<IBus>().Publish(
            new ConsentChoicesRecorded(subject, Marketing: true, Analytics: true, "registration", DateTimeOffset.UtcNow.AddMinutes(-5)), PrivacyApi.Cancellation);
        await WaitForLedgerAsync(subject, expected: 4);

        var mine = (await client.GetFromJsonAsync<MyConsents>("/api/privacy/me/consents", PrivacyApi.Json, PrivacyApi.Cancellation))!;
        (mine.Marketing!.Given, mine.Marketing.Source).ShouldBe((false, "privacy-centre"));
        (mine.Analytics!.Given, mine.Analytics.Source).ShouldBe((false, "privacy-centre"));
        mine.History.Count.ShouldBe(4, "the late choice is still on the record");
        var latest = await Eventually.ValueAsync(
            async () => (await service.InDatabaseAsync(db => db.StagedEventsAsync<ConsentsInForce>(PrivacyApi.Cancellation)))
                .Where(e => e.SubjectId == subject).OrderByDescending(e => e.Sequence).FirstOrDefault(e => e.Sequence == 4),
            "the ledger answers the late choice", cancellationToken: PrivacyApi.Cancellation);
        (latest.Marketing, latest.Analytics).ShouldBe((false, false));
    }

    [Fact]
    public async Task A_choice_made_in_Notifications_preferences_changes_only_the_consent_it_names()
    {
        var subject = Guid.NewGuid();
        var bus = service.Factory.Services.GetRequiredService<IBus>();
        await bus.Publish(new ConsentChoicesRecorded(subject, Marketing: true, Analytics: true, "registration", DateTimeOffset.UtcNow), PrivacyApi.Cancellation);
        await WaitForLedgerAsync(subject, expected: 2);

        await bus.Publish(
            new ConsentChoicesRecorded(subject, Marketing: false, Analytics: null, "notification-preferences", DateTimeOffset.UtcNow), PrivacyApi.Cancellation);
        await WaitForLedgerAsync(subject, expected: 3);

        var latest = await Eventually.ValueAsync(
            async () => (await service.InDatabaseAsync(db => db.StagedEventsAsync<ConsentsInForce>(PrivacyApi.Cancellation)))
                .FirstOrDefault(e => e.SubjectId == subject && e.Sequence == 3),
            "the ledger answers the preferences choice", cancellationToken: PrivacyApi.Cancellation);
        (latest.Marketing, latest.Analytics).ShouldBe((false, true));
    }

    [Fact]
    public async Task A_privacy_centre_choice_without_both_answers_is_a_validation_problem_and_records_nothing()
    {
        var subject = Guid.NewGuid();
        using var client = service.ClientFor(subject);

        using var response = await client.PutAsJsonAsync("/api/privacy/me/consents", new { marketing = true }, PrivacyApi.Cancellation);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["analytics"]);
        (await LedgerCountAsync(subject)).ShouldBe(0);
        (await service.InDatabaseAsync(db => db.StagedEventsAsync<ConsentsInForce>(PrivacyApi.Cancellation))).ShouldNotContain(e => e.SubjectId == subject);
    }

    private Task WaitForLedgerAsync(Guid subject, int expected) => Eventually.HoldsAsync(
        async () => await LedgerCountAsync(subject) >= expected, "the consent choices reached the ledger", TimeSpan.FromSeconds(30), PrivacyApi.Cancellation);

    private Task<int> LedgerCountAsync(Guid subject)
    {
        var pseudonym = PrivacyApi.PseudonymOf(subject);
        return service.InDatabaseAsync(db => db.ConsentLedger.CountAsync(c => c.SubjectPseudonym == pseudonym, PrivacyApi.Cancellation));
    }

    private Task<List<ConsentLedgerEntry>> LedgerAsync(Guid subject)
    {
        var pseudonym = PrivacyApi.PseudonymOf(subject);
        return service.InDatabaseAsync(db => db.ConsentLedger.AsNoTracking().Where(c => c.SubjectPseudonym == pseudonym).ToListAsync(PrivacyApi.Cancellation));
    }
}
