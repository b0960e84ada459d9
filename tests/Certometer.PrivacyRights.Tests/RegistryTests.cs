using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.Workflow;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

/// <summary>
/// PrivacyRights requiring one holder ("archive") that the tests declare or withhold, with one other stand-in holder that
/// always answers and one that a test retires.
/// </summary>
public sealed class RegistryService : PrivacyRightsHost
{
    public const string Required = "archive";

    /// <summary>The holders the tests declare and answer for.</summary>
    public static readonly string[] StandInHolders = [Required, "learning", "retired"];

    protected override void ConfigureHost(IWebHostBuilder host)
    {
        TrustStandIns(host, StandInHolders);
        host.UseSetting("PrivacyRights:Workflow:RequiredHolders:0", Required)
            .UseSetting("PrivacyRights:Workflow:ErasureCoolingOff", "00:00:00")
            .UseSetting("PrivacyRights:Workflow:ClockInterval", "00:00:00.25");
    }

    public Task DeclareAsync(string holder) =>
        Factory.Services.GetRequiredService<IBus>().Publish(
            new PersonalDataInventoryDeclared(
                holder,
                [new PersonalDataCategory($"{holder}-records", ["subject id"], "Standing in for a holder.", ErasureAction.Erase, Exported: true)],
                "Stops processing.",
                DateTimeOffset.UtcNow),
            TestContext.Current.CancellationToken);

    public Task PublishAsync<T>(T message)
        where T : class => Factory.Services.GetRequiredService<IBus>().Publish(message, TestContext.Current.CancellationToken);
}

public sealed class RegistryTests(RegistryService service) : IClassFixture<RegistryService>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_erasure_asks_nobody_while_a_required_holder_has_not_declared_itself_is_escalated_and_goes_on_once_it_has()
    {
        await service.DeclareAsync("learning");
        await RegisteredAsync("learning");
        // As if the archive had never started: whatever another test declared is gone from the registry.
        await service.InDatabaseAsync(db => db.PersonalDataHolders.Where(h => h.Service == RegistryService.Required).ExecuteDeleteAsync(Cancel));
        var request = await LockedErasureAsync();

        var waiting = await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.WaitingForHolders, "the erasure waits for the registry");
        waiting.Holders.ShouldBeEmpty("nobody is asked while a required holder is missing");
        waiting.Request.Status.ShouldBe(PrivacyRequestStatus.InProgress);
        (await service.AuditActionsAsync(request.Id)).ShouldContain($"RegistryIncomplete:{RegistryService.Required}");
        (await service.AuditActionsAsync(request.Id)).ShouldContain("Escalated:registry");
        (await service.StagedEventsAsync(request.Id)).ShouldNotContain(t => t.StartsWith(typeof(SubjectErasureRequested).FullName!, StringComparison.Ordinal));

        await service.DeclareAsync(RegistryService.Required);

        var asked = await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.AwaitingHolders, "every holder is asked once the registry is complete");
        asked.Holders.Select(h => h.Service).ShouldContain(RegistryService.Required);
        asked.Holders.Select(h => h.Service).ShouldContain("learning");
    }

    [Fact]
    public async Task Decommissioning_a_retired_holder_settles_every_request_waiting_on_it_and_is_audited()
    {
        foreach (var holder in new[] { "learning", RegistryService.Required, "retired" })
        {
            await service.DeclareAsync(holder);
            await RegisteredAsync(holder);
        }

        var request = await LockedErasureAsync();
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Any(h => h.Service == "retired"), "every holder is asked");
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 1));
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, RegistryService.Required, rows: 1));
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Count(h => h.AnsweredAt is null) == 1, "only the retired holder is silent");

        using var officer = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        using var response = await officer.PostAsJsonAsync(
            "/api/privacy/inventory/retired/decommission", new { reason = "Switched off on 2026-11-30; its database was destroyed." }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        var decommissioned = await response.ReadAsync<HolderDecommissioned>();
        decommissioned.RequestsSettled.ShouldBeGreaterThanOrEqualTo(1);
        var completed = await service.WaitForRequestAsync(request.Id, d => d.Request.Status == PrivacyRequestStatus.Completed, "the request no longer waits for the retired holder");
        completed.Holders.Single(h => h.Service == "retired").Answer!.Value.GetProperty("decommissioned").GetProperty("reason").GetString()
            .ShouldBe("Switched off on 2026-11-30; its database was destroyed.");
        (await service.AuditActionsAsync(request.Id)).ShouldContain("Decommissioned:retired");
        (await service.InDatabaseAsync(db => db.AuditEntries.AnyAsync(e => e.Action == "HolderDecommissioned:retired", Cancel))).ShouldBeTrue();
        (await service.InDatabaseAsync(db => db.PersonalDataHolders.AnyAsync(h => h.Service == "retired", Cancel))).ShouldBeFalse();
        using var verification = JsonDocument.Parse(await officer.GetStringAsync("/api/privacy/audit/verify", Cancel));
        verification.RootElement.GetProperty("valid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_required_holder_cannot_be_decommissioned_an_unknown_one_is_not_found_and_a_reason_is_always_needed()
    {
        using var officer = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        var reason = new { reason = "Retired." };

        using var required = await officer.PostAsJsonAsync($"/api/privacy/inventory/{RegistryService.Required}/decommission", reason, Cancel);
        using var unknown = await officer.PostAsJsonAsync("/api/privacy/inventory/never-declared/decommission", reason, Cancel);
        using var reasonless = await officer.PostAsJsonAsync("/api/privacy/inventory/learning/decommission", new { }, Cancel);

        required.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await required.Content.ReadAsStringAsync(Cancel)).ShouldContain("RequiredHolders");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        reasonless.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        reasonless.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    private async Task<PrivacyRequestResponse> LockedErasureAsync()
    {
        var subject = Guid.NewGuid();
        var request = await service.SubmitAsync(subject, PrivacyRequestKind.Erasure);
        using (var approved = await service.ComplianceAsync(request.Id, "approve"))
        {
            approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync(Cancel));
        }

        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.LockingAccount, "the account lock is asked for");
        await service.PublishAsync(new AccountLocked(request.Id, subject, AccountFound: true, TokensRevoked: 0, DateTimeOffset.UtcNow));
        return request;
    }

    private Task RegisteredAsync(string holder) => Eventually.HoldsAsync(
        () => service.InDatabaseAsync(db => db.PersonalDataHolders.AnyAsync(h => h.Service == holder, Cancel)),
        $"{holder} is registered",
        TimeSpan.FromSeconds(30),
        Cancel);
}
