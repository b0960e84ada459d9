using Certometer.TestInfrastructure;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Certometer.Contracts.Identity;
using Certometer.PrivacyRights.Consents;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

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
        var history = (await client.GetFromJsonAsync<ConsentResponse[]>("/api/privacy/me/consents", PrivacyApi.Json, PrivacyApi.Cancellation))!;
        history.OrderBy(c => c.Kind).Select(c => (c.Kind, c.Given, c.Source)).ShouldBe(
            [("analytics", false, "registration"), ("marketing", true, "registration")]);
        history.ShouldAllBe(c => c.PolicyVersion == null && c.RecordedAt == recordedAt);
        (await LedgerCountAsync(subject)).ShouldBe(2);
        var stored = await service.InDatabaseAsync(db => db.Database
            .SqlQuery<string>($"SELECT row_to_json(c)::text AS \"Value\" FROM consent_ledger c")
            .ToListAsync(PrivacyApi.Cancellation));
        stored.ShouldAllBe(row => !row.Contains(subject.ToString(), StringComparison.OrdinalIgnoreCase));

        using var someoneElse = service.ClientFor(Guid.NewGuid());
        (await someoneElse.GetFromJsonAsync<ConsentResponse[]>("/api/privacy/me/consents", PrivacyApi.Json, PrivacyApi.Cancellation)).ShouldBeEmpty();
    }

    private Task WaitForLedgerAsync(Guid subject, int expected) => Eventually.HoldsAsync(
        async () => await LedgerCountAsync(subject) >= expected, "the consent choices reached the ledger", TimeSpan.FromSeconds(30), PrivacyApi.Cancellation);

    private Task<int> LedgerCountAsync(Guid subject)
    {
        var pseudonym = Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(PrivacyRightsService.AuditKey), Encoding.UTF8.GetBytes(subject.ToString("D"))));
        return service.InDatabaseAsync(db => db.ConsentLedger.CountAsync(c => c.SubjectPseudonym == pseudonym, PrivacyApi.Cancellation));
    }
}
