using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Compliance;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Policies;
using Certometer.PrivacyRights.Requests;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

/// <summary>Builders for the calls tests make over and over: a learner's request, a compliance decision, a look at the database.</summary>
internal static class PrivacyApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static async Task<PrivacyRequestResponse> SubmitAsync(
        this PrivacyRightsHost service, Guid subjectId, PrivacyRequestKind kind, string? contactEmail = null)
    {
        using var client = service.ClientFor(subjectId);
        using var response = await client.PostAsJsonAsync("/api/privacy/requests", new { kind = kind.ToString(), contactEmail }, Cancellation);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancellation));
        return (await response.Content.ReadFromJsonAsync<PrivacyRequestResponse>(Json, Cancellation))!;
    }

    /// <summary>Submits a request as the subject and approves it as compliance staff.</summary>
    public static async Task<PrivacyRequestResponse> ApprovedAsync(this PrivacyRightsHost service, Guid subjectId, PrivacyRequestKind kind)
    {
        var request = await service.SubmitAsync(subjectId, kind);
        using var approved = await service.ComplianceAsync(request.Id, "approve");
        approved.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await approved.Content.ReadAsStringAsync(Cancellation));
        return request;
    }

    /// <summary>A stand-in holder's erasure receipt: <paramref name="rows"/> rows of its one category erased.</summary>
    public static SubjectErased Receipt(Guid requestId, string holder, int rows) =>
        new(requestId, holder, new ErasureReceipt([new ErasureReceiptLine($"{holder}-records", ErasureAction.Erase, rows)], DateTimeOffset.UtcNow));

    public static Task<HttpResponseMessage> ComplianceAsync(this PrivacyRightsHost service, Guid requestId, string action, string? reason = null)
    {
        var client = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        return client.PostAsJsonAsync($"/api/privacy/requests/{requestId}/{action}", new { reason }, Cancellation);
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json, Cancellation))!;

    public static async Task<T> InDatabaseAsync<T>(this PrivacyRightsHost service, Func<PrivacyRightsDbContext, Task<T>> query)
    {
        await using var scope = service.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        // The chain as its readers see it: every entry committed so far linked in, as the history endpoints do first.
        await scope.ServiceProvider.GetRequiredService<AuditChain>().SealPendingAsync(db, Cancellation);
        return await query(db);
    }

    /// <summary>Publishes a policy version as an operator, with a fresh name, and returns it as published.</summary>
    public static async Task<PolicyVersionResponse> PublishPolicyAsync(this PrivacyRightsService service, DateTimeOffset effectiveAt, string summary)
    {
        using var client = service.ClientFor(Guid.NewGuid(), "operator");
        using var response = await client.PostAsJsonAsync(
            "/api/privacy/policies", new { version = PolicyTests.NewVersion(), effectiveAt, summaryOfChanges = summary }, Cancellation);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancellation));
        return (await response.Content.ReadFromJsonAsync<PolicyVersionResponse>(Json, Cancellation))!;
    }

    /// <summary>The pseudonym computed independently of the service: HMAC-SHA256 of the subject id under the test key.</summary>
    public static string PseudonymOf(Guid subject) => Convert.ToHexStringLower(
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(PrivacyRightsService.AuditKey), Encoding.UTF8.GetBytes(subject.ToString("D"))));

    /// <summary>The outbox's event types for one request, one entry per staged event.</summary>
    public static Task<List<string>> StagedEventsAsync(this PrivacyRightsHost service, Guid requestId) =>
        service.InDatabaseAsync(db => db.Database
            .SqlQuery<string>($"SELECT message_type AS \"Value\" FROM outbox_messages WHERE payload->>'requestId' = {requestId.ToString()} ORDER BY occurred_at")
            .ToListAsync(Cancellation));

    /// <summary>A request as compliance staff see it: its state, the account lock and every holder's part.</summary>
    public static async Task<PrivacyRequestDetail> RequestDetailAsync(this PrivacyRightsHost service, Guid requestId)
    {
        using var compliance = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        return (await compliance.GetFromJsonAsync<PrivacyRequestDetail>($"/api/privacy/requests/{requestId}", Json, Cancellation))!;
    }

    /// <summary>Waits until the request satisfies <paramref name="condition"/>; on timeout, says where it stood.</summary>
    public static async Task<PrivacyRequestDetail> WaitForRequestAsync(
        this PrivacyRightsHost service, Guid requestId, Func<PrivacyRequestDetail, bool> condition, string what)
    {
        try
        {
            return await Eventually.ValueAsync(
                async () => await service.RequestDetailAsync(requestId) is { } detail && condition(detail) ? detail : null,
                what,
                TimeSpan.FromSeconds(30),
                Cancellation);
        }
        catch (TimeoutException timeout)
        {
            // Where the request stood is what explains the failure.
            throw new TimeoutException($"{timeout.Message} It stands at: {JsonSerializer.Serialize(await service.RequestDetailAsync(requestId), Json)}", timeout);
        }
    }

    /// <summary>The actions of the request's audit entries, oldest first, from its exported record.</summary>
    public static async Task<List<string?>> AuditActionsAsync(this PrivacyRightsHost service, Guid requestId)
    {
        using var compliance = service.ClientFor(Guid.NewGuid(), "compliance-officer");
        using var record = JsonDocument.Parse(await compliance.GetStringAsync($"/api/privacy/requests/{requestId}/record", Cancellation));
        return [.. record.RootElement.GetProperty("audit").EnumerateArray().Select(e => e.GetProperty("action").GetString())];
    }
}
