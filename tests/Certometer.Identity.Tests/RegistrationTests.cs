using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Contracts.Identity;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.Tests;

public sealed class RegistrationTests(IdentityService identity)
{
    [Fact]
    public async Task Registering_creates_a_learner_and_stages_the_welcome_and_both_consent_choices_as_given()
    {
        var learner = await identity.RegisterAsync();

        var registered = await identity.WaitForEventAsync<LearnerRegistered>(e => e.SubjectId == learner.SubjectId);
        registered.Email.ShouldBe(learner.Email);
        registered.PreferredLanguage.ShouldBe("en-GB");
        var consent = await identity.WaitForEventAsync<ConsentChoicesRecorded>(e => e.SubjectId == learner.SubjectId);
        consent.Marketing.ShouldBe(false);
        consent.Analytics.ShouldBe(true);
        consent.Source.ShouldBe("registration");

        var roles = await identity.QueryAsync(db => (from link in db.UserRoles
                                                     join role in db.Roles on link.RoleId equals role.Id
                                                     where link.UserId == learner.SubjectId
                                                     select role.Name).ToListAsync(TestContext.Current.CancellationToken));
        roles.ShouldBe(["learner"]);
    }

    [Fact]
    public async Task A_malformed_sign_up_names_every_bad_field_in_one_problem_response_and_writes_nothing()
    {
        using var http = identity.Factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/api/accounts", new
        {
            email = "not-an-address",
            phone = "call me",
            teamSize = "huge",
            preferredLanguage = "English!",
            mailingAddress = new { line1 = "", country = "Germany" },
        }, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        problem.RootElement.GetProperty("errors").EnumerateObject().Select(field => field.Name).ShouldBe(
            ["name", "email", "phone", "mailingAddress.line1", "mailingAddress.city", "mailingAddress.postalCode", "mailingAddress.country",
             "teamSize", "preferredLanguage", "password", "marketingConsent", "analyticsConsent"],
            ignoreOrder: true);

        // One bad field among good ones: still refused whole, and nothing about the would-be account is stored or announced.
        var marker = Guid.NewGuid().ToString("N")[..12];
        var good = JsonSerializer.SerializeToNode(Learners.Registration(marker))!;
        good["teamSize"] = "huge";
        using var partlyBad = await http.PostAsJsonAsync("/api/accounts", good, TestContext.Current.CancellationToken);
        partlyBad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var normalizedEmail = $"learner.{marker}@example.test".ToUpperInvariant();
        (await identity.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == normalizedEmail, TestContext.Current.CancellationToken))).ShouldBe(0);
        (await identity.EventsAsync<LearnerRegistered>()).ShouldNotContain(e => e.Name == $"Learner {marker}");
    }

    [Fact]
    public async Task A_short_password_is_refused_with_the_rule_it_broke()
    {
        using var http = identity.Factory.CreateClient();

        using var response = await http.PostAsJsonAsync(
            "/api/accounts", Learners.Registration(Guid.NewGuid().ToString("N")[..12], password: "short1"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        problem.RootElement.GetProperty("errors").GetProperty("password")[0].GetString()!.ShouldContain("12");
    }
}
