using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Policies;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Tests;

// Which version is current is global to the database, so every test that publishes one or depends on the one in force
// runs in this collection, one at a time.
[Collection(nameof(PolicyTests))]
public sealed class PolicyTests(PrivacyRightsService service)
{
    [Fact]
    public async Task A_published_version_is_announced_and_becomes_current_while_a_later_one_waits_for_its_date()
    {
        var inForce = await service.PublishPolicyAsync(DateTimeOffset.UtcNow, "Named the payment gateway.");
        var later = await service.PublishPolicyAsync(DateTimeOffset.UtcNow.AddDays(30), "Shorter retention of usage data.");

        // Anonymous on purpose: the policy must be readable before anyone signs up.
        using var anonymous = service.Factory.CreateClient();
        var current = (await anonymous.GetFromJsonAsync<PolicyVersionResponse>("/api/privacy/policies/current", PrivacyApi.Json, PrivacyApi.Cancellation))!;
        var listed = (await anonymous.GetFromJsonAsync<PolicyVersionResponse[]>("/api/privacy/policies", PrivacyApi.Json, PrivacyApi.Cancellation))!;
        var byName = (await anonymous.GetFromJsonAsync<PolicyVersionResponse>($"/api/privacy/policies/{later.Version}", PrivacyApi.Json, PrivacyApi.Cancellation))!;

        current.ShouldBe(inForce);
        listed.ShouldContain(inForce);
        listed.ShouldContain(later);
        Array.IndexOf(listed, later).ShouldBeLessThan(Array.IndexOf(listed, inForce), "latest effective date first");
        byName.ShouldBe(later);
        var announced = await service.InDatabaseAsync(db => db.StagedEventsAsync<PrivacyPolicyPublished>(PrivacyApi.Cancellation));
        announced.ShouldContain(new PrivacyPolicyPublished(inForce.Version, inForce.EffectiveAt, inForce.SummaryOfChanges, inForce.PublishedAt));
        announced.ShouldContain(new PrivacyPolicyPublished(later.Version, later.EffectiveAt, later.SummaryOfChanges, later.PublishedAt));
    }

    [Fact]
    public async Task A_version_is_published_once_never_back_dated_and_bad_input_writes_nothing()
    {
        var published = await service.PublishPolicyAsync(DateTimeOffset.UtcNow.AddDays(1), "First wording.");
        var versionsBefore = await service.InDatabaseAsync(db => db.PolicyVersions.CountAsync(PrivacyApi.Cancellation));
        var announcementsBefore = (await service.InDatabaseAsync(db => db.StagedEventsAsync<PrivacyPolicyPublished>(PrivacyApi.Cancellation))).Count;
        using var operatorClient = service.ClientFor(Guid.NewGuid(), "operator");

        using var again = await operatorClient.PostAsJsonAsync("/api/privacy/policies",
            new { version = published.Version, effectiveAt = DateTimeOffset.UtcNow.AddDays(2), summaryOfChanges = "Edited wording." }, PrivacyApi.Cancellation);
        using var backDated = await operatorClient.PostAsJsonAsync("/api/privacy/policies",
            new { version = NewVersion(), effectiveAt = DateTimeOffset.UtcNow.AddHours(-1), summaryOfChanges = "Too late." }, PrivacyApi.Cancellation);
        using var badName = await operatorClient.PostAsJsonAsync("/api/privacy/policies",
            new { version = "2026 12/../x", effectiveAt = DateTimeOffset.UtcNow.AddDays(1), summaryOfChanges = "Bad name.", url = "javascript:alert(1)" }, PrivacyApi.Cancellation);
        using var empty = await operatorClient.PostAsJsonAsync("/api/privacy/policies", new { }, PrivacyApi.Cancellation);

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        again.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        backDated.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Errors(await backDated.ReadAsync<JsonElement>()).ShouldBe(["effectiveAt"]);
        badName.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Errors(await badName.ReadAsync<JsonElement>()).ShouldBe(["url", "version"]);
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Errors(await empty.ReadAsync<JsonElement>()).ShouldBe(["effectiveAt", "summaryOfChanges", "version"]);
        (await service.InDatabaseAsync(db => db.PolicyVersions.CountAsync(PrivacyApi.Cancellation))).ShouldBe(versionsBefore);
        (await service.InDatabaseAsync(db => db.StagedEventsAsync<PrivacyPolicyPublished>(PrivacyApi.Cancellation))).Count.ShouldBe(announcementsBefore);
        var stored = await service.InDatabaseAsync(db => db.PolicyVersions.SingleAsync(p => p.Version == published.Version, PrivacyApi.Cancellation));
        stored.SummaryOfChanges.ShouldBe("First wording.");
    }

    [Fact]
    public async Task Only_operators_publish_versions()
    {
        using var learner = service.ClientFor(Guid.NewGuid());
        using var officer = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        var body = new { version = NewVersion(), effectiveAt = DateTimeOffset.UtcNow.AddDays(1), summaryOfChanges = "Not theirs to publish." };

        using var byLearner = await learner.PostAsJsonAsync("/api/privacy/policies", body, PrivacyApi.Cancellation);
        using var byOfficer = await officer.PostAsJsonAsync("/api/privacy/policies", body, PrivacyApi.Cancellation);

        byLearner.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        byOfficer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await service.InDatabaseAsync(db => db.PolicyVersions.AnyAsync(p => p.Version == body.version, PrivacyApi.Cancellation))).ShouldBeFalse();
    }

    [Fact]
    public async Task Accepting_twice_keeps_the_first_acceptance_which_is_stored_under_a_pseudonym_only()
    {
        var policy = await service.PublishPolicyAsync(DateTimeOffset.UtcNow, "Acceptance wording.");
        var subject = Guid.NewGuid();
        using var client = service.ClientFor(subject);

        using var first = await client.PostAsync($"/api/privacy/policies/{policy.Version}/acceptance", null, PrivacyApi.Cancellation);
        using var second = await client.PostAsync($"/api/privacy/policies/{policy.Version}/acceptance", null, PrivacyApi.Cancellation);
        using var unknown = await client.PostAsync($"/api/privacy/policies/{NewVersion()}/acceptance", null, PrivacyApi.Cancellation);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var accepted = await first.ReadAsync<PolicyAcceptanceResponse>();
        (await second.ReadAsync<PolicyAcceptanceResponse>()).ShouldBe(accepted);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var mine = await client.GetFromJsonAsync<PolicyAcceptanceResponse[]>("/api/privacy/me/policy-acceptances", PrivacyApi.Json, PrivacyApi.Cancellation);
        mine.ShouldBe([accepted]);
        using var someoneElse = service.ClientFor(Guid.NewGuid());
        (await someoneElse.GetFromJsonAsync<PolicyAcceptanceResponse[]>("/api/privacy/me/policy-acceptances", PrivacyApi.Json, PrivacyApi.Cancellation)).ShouldBeEmpty();

        var acceptances = await service.InDatabaseAsync(db => db.PolicyAcceptances.Where(a => a.Version == policy.Version).ToListAsync(PrivacyApi.Cancellation));
        acceptances.ShouldHaveSingleItem().SubjectPseudonym.ShouldBe(PrivacyApi.PseudonymOf(subject));
        var scan = await DatabaseScan.ReadAsync(await service.InDatabaseAsync(db => Task.FromResult(db.Database.GetConnectionString()!)), PrivacyApi.Cancellation);
        scan.Columns.ShouldContain("policy_acceptances.subject_pseudonym");
        scan.ColumnsContaining(subject.ToString(), StringComparison.OrdinalIgnoreCase).ShouldBeEmpty();
        scan.ColumnsContaining(subject.ToString("N"), StringComparison.OrdinalIgnoreCase).ShouldBeEmpty();
    }

    internal static string NewVersion() => $"test-{Guid.NewGuid():N}"[..20];

    private static string[] Errors(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)];
}
