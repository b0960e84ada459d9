using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aspire.Hosting.Testing;
using Certometer.Contracts.Privacy;

namespace Certometer.EndToEnd.Tests;

public sealed class StackTests(StackFixture stack)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Every_service_reports_ready_with_its_database_and_the_broker()
    {
        foreach (var service in StackFixture.Services)
        {
            using var http = stack.App.CreateHttpClient(service);
            using var response = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{service} is not ready");
        }
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Every_service_serves_its_OpenAPI_document_and_an_interactive_reference()
    {
        foreach (var service in StackFixture.Services)
        {
            using var http = stack.App.CreateHttpClient(service);
            using var document = JsonDocument.Parse(
                await http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
            document.RootElement.GetProperty("openapi").GetString().ShouldNotBeNullOrWhiteSpace($"{service} has no OpenAPI document");
            // The AppHost runs services in Development, where the interactive reference is served too.
            using var reference = await http.GetAsync("/scalar", TestContext.Current.CancellationToken);
            reference.StatusCode.ShouldBe(HttpStatusCode.OK, $"{service} serves no API reference");
        }

        using var privacy = stack.App.CreateHttpClient("privacy-rights");
        using var privacyDocument = JsonDocument.Parse(
            await privacy.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        privacyDocument.RootElement.GetProperty("paths").TryGetProperty("/api/privacy/inventory", out _)
            .ShouldBeTrue("the inventory endpoint is missing from the PrivacyRights OpenAPI document");

        // Who may call what is in the document too: protected operations name the bearer scheme and their policy.
        using var identity = stack.App.CreateHttpClient("identity");
        using var identityDocument = JsonDocument.Parse(await identity.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var paths = identityDocument.RootElement.GetProperty("paths");
        var profile = paths.GetProperty("/api/me").GetProperty("get");
        profile.GetProperty("security")[0].TryGetProperty("bearer", out _).ShouldBeTrue();
        profile.GetProperty("description").GetString()!.ShouldContain("signed-in");
        paths.GetProperty("/api/accounts").GetProperty("post").TryGetProperty("security", out _).ShouldBeFalse("sign-up is anonymous");
        identityDocument.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer")
            .GetProperty("scheme").GetString().ShouldBe("bearer");
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Privacy_inventory_lists_each_of_the_six_services_with_its_declared_data()
    {
        using var http = stack.App.CreateHttpClient("privacy-rights");
        var callers = await stack.CallersAsync(TestContext.Current.CancellationToken);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", callers[Caller.ComplianceOfficer]!["privacy-rights"]);
        InventoryEntry[] inventory = [];
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        // Declarations travel service outbox -> broker -> PrivacyRights inbox; they arrive within seconds of start-up.
        while (inventory.Length < StackFixture.Services.Length && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            inventory = await http.GetFromJsonAsync<InventoryEntry[]>("/api/privacy/inventory", Json, TestContext.Current.CancellationToken) ?? [];
        }

        inventory.Select(entry => entry.Service).ShouldBe(StackFixture.Services, ignoreOrder: true);
        inventory.ShouldAllBe(entry => entry.Categories.Count > 0 && entry.OnRestriction.Length > 0);
        var invoices = inventory.Single(entry => entry.Service == "billing").Categories.Single(category => category.Name == "invoices");
        invoices.OnErasure.ShouldBe(ErasureAction.Pseudonymise);
        invoices.RetentionLegalBasis.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Unknown_endpoint_answers_with_an_RFC_7807_problem_document_and_reveals_nothing_without_a_token()
    {
        using var http = stack.App.CreateHttpClient("privacy-rights");
        using var anonymous = await http.GetAsync("/api/privacy/no-such-endpoint", TestContext.Current.CancellationToken);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "deny by default: without a token, which paths exist is nobody's business");
        anonymous.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");

        var callers = await stack.CallersAsync(TestContext.Current.CancellationToken);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", callers[Caller.ComplianceOfficer]!["privacy-rights"]);
        using var signedIn = await http.GetAsync("/api/privacy/no-such-endpoint", TestContext.Current.CancellationToken);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        signedIn.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    private sealed record InventoryEntry(string Service, IReadOnlyList<PersonalDataCategory> Categories, string OnRestriction, DateTimeOffset DeclaredAt);
}
