using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using MassTransit;
using Npgsql;

namespace Certometer.EndToEnd.Tests;

public sealed class HolderErasureTests(StackFixture stack)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Every_declared_holder_forgets_an_erased_learner_completely_and_leaves_another_learner_untouched()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var operatorToken = (await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken)).AccessToken!;
        var courseId = await stack.App.PublishPaidCourseAsync(operatorToken, cancellationToken);
        var (erased, erasedOrders) = await FullLearnerAsync(courseId, cancellationToken);
        var (kept, _) = await FullLearnerAsync(courseId, cancellationToken);
        var holders = await DeclaredHoldersAsync(cancellationToken);

        // PrivacyRights' part, played by the test: lock the account first so nothing new arrives, then fan out.
        await using var privacyRights = await PrivacyRightsStandIn.StartAsync(stack.App, cancellationToken);
        var requestId = Guid.NewGuid();
        var locked = await privacyRights.LockAccountAsync(requestId, erased.SubjectId, cancellationToken);
        locked.AccountFound.ShouldBeTrue();
        locked.Email.ShouldBe(erased.Email, "the address to tell the subject at, once everyone has forgotten it");
        var receipts = await privacyRights.EraseAsync(requestId, erased.SubjectId, holders, cancellationToken);

        receipts.Select(r => r.Service).ShouldBe(holders, ignoreOrder: true);
        receipts.ShouldAllBe(r => r.Receipt.Lines.Any(line => line.Category == "sent-event-copies"));
        var scan = await ErasureScan.ReadAsync(stack.App, cancellationToken);
        await scan.ShouldHoldNothingOfAsync(erased, receipts, erasedOrders, cancellationToken);

        // Telling the forgotten subject that it is done must not bring them back: the address PrivacyRights kept for
        // this goes out by mail, is reported delivered, and is at rest nowhere afterwards.
        var delivered = await privacyRights.CompleteErasureAsync(requestId, erased.SubjectId, locked.Email!, locked.PreferredLanguage, cancellationToken);
        delivered.Notice.ShouldBe(PrivacyNotice.RequestCompleted);
        (await MailSubjectsToAsync(erased.Email, cancellationToken)).ShouldContain("Your privacy request is complete");
        await (await ErasureScan.ReadAsync(stack.App, cancellationToken)).ShouldHoldNothingOfAsync(erased, receipts, erasedOrders, cancellationToken);

        // The other learner is untouched, and the scan is shown to find what is there.
        string[][] keptEverywhere =
        [
            ["identitydb", "subject id"], ["identitydb", "name"], ["identitydb", "email"], ["identitydb", "phone"], ["identitydb", "address"],
            ["catalogdb", "subject id"], ["catalogdb", "name"],
            ["billingdb", "subject id"], ["billingdb", "name"], ["billingdb", "address"],
            ["notificationsdb", "subject id"], ["notificationsdb", "name"], ["notificationsdb", "email"],
            ["analyticsdb", "signed-in page view"],
        ];
        keptEverywhere.Where(place => !scan.Holds(place[0], kept, place[1])).Select(place => $"{place[0]} lost the {place[1]}")
            .ShouldBeEmpty("erasing one learner must not touch another");
    }

    /// <summary>
    /// A learner who leaves a trace in every holder: profile with phone and mailing address (Identity), a paid order
    /// and its invoice (Billing), an enrollment, completed lessons and a certificate (Catalog), the emails about all of it
    /// (Notifications) and signed-in page views (Analytics).
    /// </summary>
    private async Task<(SubjectMarkers Learner, IReadOnlyCollection<Guid> Orders)> FullLearnerAsync(Guid courseId, CancellationToken cancellationToken)
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var password = $"passphrase-{marker}";
        var address = new { line1 = $"{marker} Forgetting Lane", line2 = $"Flat {marker}", city = $"Vergessen{marker}", postalCode = $"V{marker}", country = "DE" };
        var learner = new SubjectMarkers(
            Guid.Empty,
            $"Erin Erasure{marker}",
            $"erin.{marker}@example.test",
            $"+49 30 {Random.Shared.Next(1_000_000, 9_999_999)}",
            [address.line1, address.line2, address.city, address.postalCode],
            $"/courses/erasure-{marker}");

        using (var identity = new HttpClient { BaseAddress = stack.App.IdentityUri() })
        using (var registered = await identity.PostAsJsonAsync("/api/accounts", new
        {
            name = learner.Name,
            email = learner.Email,
            password,
            phone = learner.Phone,
            mailingAddress = address,
            marketingConsent = false,
            analyticsConsent = true,
        }, cancellationToken))
        {
            registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync(cancellationToken));
            learner = learner with { SubjectId = JsonDocument.Parse(await registered.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("subjectId").GetGuid() };
        }

        var token = (await stack.App.SignInAsync(learner.Email, password, cancellationToken)).AccessToken!;
        using var billing = stack.App.ClientFor("billing", token);
        var order = await Purchases.PlaceOrderAsync(billing, courseId, learner.Name, cancellationToken, address);
        await Purchases.PayAsync(billing, order, cancellationToken);

        using var catalog = stack.App.ClientFor("catalog", token);
        var enrollment = await Purchases.EventuallyAsync(async () =>
        {
            using var mine = JsonDocument.Parse(await catalog.GetStringAsync("/api/catalog/me/enrollments", cancellationToken));
            return mine.RootElement.EnumerateArray().Where(e => e.GetProperty("courseId").GetGuid() == courseId)
                .Select(e => e.GetProperty("id").GetString()).FirstOrDefault();
        }, "the enrollment the payment bought");
        var course = await catalog.GetFromJsonAsync<JsonElement>($"/api/catalog/courses/{courseId}", Json, cancellationToken);
        string? certificate = null;
        foreach (var lesson in course.GetProperty("syllabus").EnumerateArray())
        {
            using var completed = await catalog.PostAsync($"/api/catalog/me/enrollments/{enrollment}/lessons/{lesson.GetProperty("id").GetGuid()}/complete", null, cancellationToken);
            completed.StatusCode.ShouldBe(HttpStatusCode.OK, await completed.Content.ReadAsStringAsync(cancellationToken));
            var progress = await completed.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
            certificate = progress.GetProperty("certificate").ValueKind == JsonValueKind.Object ? progress.GetProperty("certificate").GetProperty("verificationCode").GetString() : null;
        }

        certificate.ShouldNotBeNull("completing every lesson of an exam-less course issues its certificate");

        // Analytics records a signed-in visit once the consent given at registration has reached it.
        using var analytics = stack.App.ClientFor("analytics", token);
        var analyticsDb = await stack.App.GetConnectionStringAsync("analyticsdb", cancellationToken);
        await Eventually.HoldsAsync(async () =>
        {
            using var recorded = await analytics.PostAsJsonAsync("/api/analytics/events", new
            {
                page = learner.PageMarker, deviceType = "desktop", browser = "firefox", language = "en", occurredAt = DateTimeOffset.UtcNow,
            }, cancellationToken);
            recorded.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            return await CountAsync(analyticsDb!, "SELECT count(*) FROM usage_events WHERE page = @value", learner.PageMarker, cancellationToken) > 0;
        }, "Analytics recording the learner's signed-in visit", TimeSpan.FromSeconds(60), cancellationToken);

        // Welcome, enrollment confirmation, receipt and certificate: Notifications has written to them about everything.
        await Purchases.EventuallyAsync(
            async () => (await MailSubjectsToAsync(learner.Email, cancellationToken)).Count >= 4 ? "sent" : null,
            "the welcome, enrollment, receipt and certificate emails");

        return (learner, [order]);
    }

    /// <summary>The subjects of every email the stack's mail server received for <paramref name="address"/>.</summary>
    private async Task<List<string>> MailSubjectsToAsync(string address, CancellationToken cancellationToken)
    {
        using var inbox = new HttpClient { BaseAddress = stack.App.GetEndpoint("mail", "http") };
        using var page = JsonDocument.Parse(await inbox.GetStringAsync($"/api/messages?searchTerms={Uri.EscapeDataString(address)}&pageSize=50", cancellationToken));
        return [.. page.RootElement.GetProperty("results").EnumerateArray()
            .Where(message => message.GetProperty("to").EnumerateArray().Any(to => string.Equals(to.GetString(), address, StringComparison.OrdinalIgnoreCase)))
            .Select(message => message.GetProperty("subject").GetString()!)];
    }

    /// <summary>
    /// The holders PrivacyRights fans out to: every service in the inventory but PrivacyRights itself, which runs the
    /// request (its database is not scanned either), and at least every service with a database the scan reads.
    /// </summary>
    private async Task<string[]> DeclaredHoldersAsync(CancellationToken cancellationToken)
    {
        var compliance = (await stack.CallersAsync(cancellationToken))[Caller.ComplianceOfficer]!;
        using var privacy = stack.App.ClientFor("privacy-rights", compliance);
        string[] scanned = ["identity", "catalog", "billing", "notifications", "analytics"];
        return await Purchases.EventuallyAsync(async () =>
        {
            var inventory = await privacy.GetFromJsonAsync<JsonElement>("/api/privacy/inventory", Json, cancellationToken);
            var services = inventory.EnumerateArray().Select(holder => holder.GetProperty("service").GetString()!).Where(s => s != "privacy-rights").ToArray();
            return scanned.All(services.Contains) ? services : null;
        }, "every holder's inventory declared");
    }

    private static async Task<long> CountAsync(string connectionString, string sql, string value, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("value", value);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>
/// PrivacyRights' side of an erasure on the stack's broker: publishes the lock and the fan-out, and listens for the
/// answers on a queue of its own that goes away with it.
/// </summary>
internal sealed class PrivacyRightsStandIn : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<AccountLocked> _locked = new();
    private readonly ConcurrentQueue<SubjectErased> _erased = new();
    private readonly ConcurrentQueue<PrivacyNoticeDelivered> _delivered = new();

    private PrivacyRightsStandIn(string brokerAddress)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(brokerAddress));
            rabbit.ReceiveEndpoint($"end-to-end-privacy-answers-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<AccountLocked>(context =>
                {
                    _locked.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
                endpoint.Handler<SubjectErased>(context =>
                {
                    _erased.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
                endpoint.Handler<PrivacyNoticeDelivered>(context =>
                {
                    _delivered.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
    }

    public static async Task<PrivacyRightsStandIn> StartAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var standIn = new PrivacyRightsStandIn(await app.GetConnectionStringAsync("messaging", cancellationToken)
            ?? throw new InvalidOperationException("The stack has no broker connection string."));
        await standIn._bus.StartAsync(cancellationToken);
        return standIn;
    }

    public async Task<AccountLocked> LockAccountAsync(Guid requestId, Guid subjectId, CancellationToken cancellationToken)
    {
        await _bus.Publish(new AccountLockRequested(requestId, subjectId, DateTimeOffset.UtcNow), cancellationToken);
        return await Eventually.ValueAsync(
            () => Task.FromResult(_locked.FirstOrDefault(l => l.RequestId == requestId)), "Identity locked the account", TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>Fans the erasure out and returns one receipt from each of <paramref name="holders"/>.</summary>
    public async Task<IReadOnlyList<SubjectErased>> EraseAsync(Guid requestId, Guid subjectId, IReadOnlyCollection<string> holders, CancellationToken cancellationToken)
    {
        await _bus.Publish(new SubjectErasureRequested(requestId, subjectId, DateTimeOffset.UtcNow), cancellationToken);
        List<SubjectErased> Answered() => [.. _erased.Where(e => e.RequestId == requestId).GroupBy(e => e.Service).Select(g => g.First())];
        try
        {
            return await Eventually.ValueAsync<IReadOnlyList<SubjectErased>>(
                () => Task.FromResult<IReadOnlyList<SubjectErased>?>(holders.All(holder => Answered().Any(a => a.Service == holder)) ? Answered() : null),
                $"every declared holder ({string.Join(", ", holders)}) answered the erasure",
                TimeSpan.FromSeconds(90),
                cancellationToken);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message} Answered: {string.Join(", ", Answered().Select(a => a.Service))}.", timeout);
        }
    }

    /// <summary>Reports the erasure complete, to the address kept from the lock, and waits until Notifications delivered the message.</summary>
    public async Task<PrivacyNoticeDelivered> CompleteErasureAsync(
        Guid requestId, Guid subjectId, string contactEmail, string? preferredLanguage, CancellationToken cancellationToken)
    {
        await _bus.Publish(
            new PrivacyRequestCompleted(requestId, subjectId, PrivacyRequestKind.Erasure, DateTimeOffset.UtcNow, contactEmail, preferredLanguage, PackageAvailableUntil: null),
            cancellationToken);
        return await Eventually.ValueAsync(
            () => Task.FromResult(_delivered.FirstOrDefault(d => d.RequestId == requestId)),
            "Notifications delivered the completion message",
            TimeSpan.FromSeconds(60),
            cancellationToken);
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(CancellationToken.None);
}
