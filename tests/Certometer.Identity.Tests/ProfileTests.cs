using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Certometer.Contracts.Identity;

namespace Certometer.Identity.Tests;

public sealed class ProfileTests(IdentityService identity)
{
    [Fact]
    public async Task Correcting_the_profile_tells_holders_exactly_the_fields_that_changed_and_nothing_when_none_did()
    {
        var learner = await identity.RegisterAsync();
        var (_, tokens, browser) = await identity.SignInAsync(learner);
        browser.Dispose();
        using var http = identity.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        object Profile(string name, string? phone) => new
        {
            name,
            email = learner.Email,
            phone,
            mailingAddress = new { line1 = "1 Test Street", city = "London", postalCode = "N1 9GU", country = "GB" },
            company = "Example Ltd",
            jobRole = "Engineer",
            teamSize = "11-50",
            businessType = "Consulting",
            preferredLanguage = "en-GB",
        };

        using (var same = await http.PutAsJsonAsync("/api/me", Profile(learner.Name, learner.Phone), TestContext.Current.CancellationToken))
        {
            same.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var corrected = await http.PutAsJsonAsync("/api/me", Profile("Corrected Name", phone: null), TestContext.Current.CancellationToken))
        {
            corrected.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var events = (await identity.EventsAsync<SubjectDataRectified>()).Where(e => e.SubjectId == learner.SubjectId).ToList();
        events.Count.ShouldBe(1, "an unchanged profile is not a rectification");
        events[0].ChangedFields.ShouldBe(new Dictionary<string, string?> { ["name"] = "Corrected Name", ["phone"] = null }, ignoreOrder: true);
    }

    [Fact]
    public async Task An_invalid_correction_is_refused_with_a_problem_and_changes_nothing()
    {
        var learner = await identity.RegisterAsync();
        var (_, tokens, browser) = await identity.SignInAsync(learner);
        browser.Dispose();
        using var http = identity.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        using var response = await http.PutAsJsonAsync("/api/me", new { name = "", email = "nope" }, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var profile = await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken);
        profile.ShouldBe(new Profile(learner.Name, learner.Email));
    }

    private sealed record Profile(string Name, string Email);
}
