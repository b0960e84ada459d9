using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.HolderContract.Sealing;
using Certometer.TestInfrastructure;
using Npgsql;

namespace Certometer.EndToEnd.Tests;

/// <summary>The rights as a learner and compliance staff use them, through every service of the running stack.</summary>
public sealed class PrivacyJourneyTests(StackFixture stack)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task An_approved_erasure_completes_only_after_every_holder_answered_and_leaves_none_of_the_learners_values_in_any_database()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var operatorToken = await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken);
        var courseId = await stack.App.PublishPaidCourseAsync(operatorToken, cancellationToken);
        // A copy of every registration as the broker carries it, kept past the erasure: what a broker's disk or a
        // forgotten queue would hold.
        using var broker = BrokerManagement.For(
            new Uri(stack.App.GetEndpoint("messaging", "management").ToString()), new Uri((await stack.App.GetConnectionStringAsync("messaging", cancellationToken))!));
        var registrations = await broker.TapAsync<LearnerRegistered>("/");
        var erased = await FullLearnerAsync(courseId, cancellationToken);
        var kept = await FullLearnerAsync(courseId, cancellationToken);
        var holders = await DeclaredHoldersAsync(cancellationToken);

        var requestId = await SubmitAsync(erased.Token, "Erasure", cancellationToken);
        using var compliance = stack.App.ClientFor("privacy-rights", (await stack.CallersAsync(cancellationToken))[Caller.ComplianceOfficer]!);
        using (var approved = await compliance.PostAsJsonAsync($"/api/privacy/requests/{requestId}/approve", new { }, cancellationToken))
        {
            approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync(cancellationToken));
        }

        // Closed: every holder answered, the subject was told, and the address PrivacyRights kept for that is dropped.
        var closed = await Purchases.EventuallyAsync(async () =>
        {
            var current = await compliance.GetStringAsync($"/api/privacy/requests/{requestId}", cancellationToken);
            return JsonDocument.Parse(current).RootElement.GetProperty("request").GetProperty("stage").GetString() == "Closed" ? current : null;
        }, "the erasure to complete and close");
        using var detail = JsonDocument.Parse(closed);
        var request = detail.RootElement.GetProperty("request");
        request.GetProperty("status").GetString().ShouldBe("Completed");
        request.GetProperty("contactEmail").ValueKind.ShouldBe(JsonValueKind.Null);
        detail.RootElement.GetProperty("accountLock").GetProperty("lockedAt").GetDateTimeOffset()
            .ShouldBeLessThanOrEqualTo(detail.RootElement.GetProperty("holders").EnumerateArray().Min(h => h.GetProperty("firstAskedAt").GetDateTimeOffset()),
                "the account is locked before any holder is asked");
        var receipts = detail.RootElement.GetProperty("holders").EnumerateArray()
            .Select(h => new SubjectErased(requestId, h.GetProperty("service").GetString()!, h.GetProperty("answer").Deserialize<ErasureReceipt>(Json)!))
            .ToList();
        receipts.Select(r => r.Service).ShouldBe(holders, ignoreOrder: true);
        receipts.ShouldAllBe(r => r.Receipt.Lines.Any(line => line.Category == "sent-event-copies"));
        (await MailSubjectsToAsync(erased.Markers.Email, cancellationToken)).ShouldContain("Your privacy request is complete");

        var scan = await ErasureScan.ReadAsync(stack.App, cancellationToken);
        await scan.ShouldHoldNothingOfAsync(erased.Markers, receipts, erased.Orders, cancellationToken);
        (await StillAcceptingAsync(erased.Token, cancellationToken))
            .ShouldBeEmpty("the learner's access token outlives the erasure, but no service may accept it");
        await ShouldBeUnreadableAsync(broker, registrations, erased.Markers, cancellationToken);

        // The other learner is untouched, and the scan is shown to find what is there.
        string[][] keptEverywhere =
        [
            ["identitydb", "subject id"], ["identitydb", "name"], ["identitydb", "email"], ["identitydb", "phone"], ["identitydb", "address"],
            ["catalogdb", "subject id"], ["catalogdb", "name"],
            ["billingdb", "subject id"], ["billingdb", "name"], ["billingdb", "address"],
            ["notificationsdb", "subject id"], ["notificationsdb", "name"], ["notificationsdb", "email"],
            ["analyticsdb", "signed-in page view"],
        ];
        keptEverywhere.Where(place => !scan.Holds(place[0], kept.Markers, place[1])).Select(place => $"{place[0]} lost the {place[1]}")
            .ShouldBeEmpty("erasing one learner must not touch another");
    }

    /// <summary>
    /// The copy of the erased learner's registration that outlived the erasure in a queue carries their name and address
    /// sealed, and the key that opened it is destroyed: asked as Catalog, which opened it, the key store answers 410.
    /// </summary>
    private async Task ShouldBeUnreadableAsync(BrokerManagement broker, string tap, SubjectMarkers learner, CancellationToken cancellationToken)
    {
        var copies = (await broker.PeekAsync("/", tap)).Where(body => body.Contains(learner.SubjectId.ToString(), StringComparison.OrdinalIgnoreCase)).ToList();
        await broker.DeleteQueueAsync("/", tap);
        var copy = copies.ShouldHaveSingleItem("the registration reached the broker once");
        copy.ShouldContain(SealedValues.Prefix);
        copy.ShouldNotContain(learner.Email, Case.Insensitive, "the address travelled sealed");
        copy.ShouldNotContain(learner.Name, Case.Insensitive, "the name travelled sealed");

        using var privacyRights = stack.App.CreateHttpClient("privacy-rights");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(privacyRights.BaseAddress!, $"/api/privacy/subject-keys/{learner.SubjectId}"));
        using var catalogKey = EnvelopeSignature.LoadKey(await stack.SettingOfAsync("catalog", "PersonalData__AnswerSigningKey", cancellationToken), isPrivate: true);
        SignedServiceRequests.Sign(request, "catalog", catalogKey, DateTimeOffset.UtcNow);
        using var answer = await privacyRights.SendAsync(request, cancellationToken);
        answer.StatusCode.ShouldBe(HttpStatusCode.Gone, "the erasure destroyed the key the copy was sealed under");
    }

    /// <summary>
    /// Every endpoint a learner may call (from the authorization matrix), called with its API's token from <paramref name="tokens"/>: those that
    /// did not refuse it as belonging to an erased or locked account. A refusal for any other reason (an expired token,
    /// say) would prove nothing, so it counts as accepting.
    /// </summary>
    private async Task<List<string>> StillAcceptingAsync(ApiTokens tokens, CancellationToken cancellationToken)
    {
        var accepting = new List<string>();
        foreach (var row in AuthorizationMatrix.Rows.Where(row => row.IsProtected && row.Expected[Caller.Learner] is not (401 or 403)))
        {
            using var http = stack.App.CreateHttpClient(row.Service);
            using var request = new HttpRequestMessage(row.Method, row.Path.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens[row.Service]);
            if (row.Body is not null)
            {
                request.Content = new StringContent(row.Body, System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request, cancellationToken);
            var refusal = response.Headers.WwwAuthenticate.ToString();
            if (response.StatusCode != HttpStatusCode.Unauthorized || !(refusal.Contains("erased", StringComparison.Ordinal) || refusal.Contains("locked", StringComparison.Ordinal)))
            {
                accepting.Add($"{row}: {(int)response.StatusCode} {refusal}");
            }
        }

        return accepting;
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task An_access_package_holds_every_holders_part_of_the_learners_data_and_nothing_of_another_learner()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var operatorToken = await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken);
        var courseId = await stack.App.PublishPaidCourseAsync(operatorToken, cancellationToken);
        var asking = await FullLearnerAsync(courseId, cancellationToken);
        var other = await FullLearnerAsync(courseId, cancellationToken);
        var holders = await DeclaredHoldersAsync(cancellationToken);

        var requestId = await SubmitAsync(asking.Token, "Access", cancellationToken);
        using var compliance = stack.App.ClientFor("privacy-rights", (await stack.CallersAsync(cancellationToken))[Caller.ComplianceOfficer]!);
        using (var approved = await compliance.PostAsJsonAsync($"/api/privacy/requests/{requestId}/approve", new { }, cancellationToken))
        {
            approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync(cancellationToken));
        }

        using var privacy = stack.App.ClientFor("privacy-rights", asking.Token);
        var package = await Purchases.EventuallyAsync(async () =>
        {
            using var download = await privacy.GetAsync($"/api/privacy/me/requests/{requestId}/package", cancellationToken);
            return download.StatusCode == HttpStatusCode.OK ? await download.Content.ReadAsStringAsync(cancellationToken) : null;
        }, "the package to be compiled");

        using var document = JsonDocument.Parse(package);
        var parts = document.RootElement.GetProperty("holders").EnumerateArray().ToDictionary(p => p.GetProperty("service").GetString()!, p => p);
        parts.Keys.ShouldBe(holders, ignoreOrder: true);
        foreach (var service in new[] { "identity", "catalog", "billing", "notifications" })
        {
            parts[service].GetProperty("recordCount").GetInt32().ShouldBeGreaterThan(0, $"{service} holds the learner's data, so its part cannot be empty");
        }

        package.ShouldContain(asking.Markers.Email, Case.Insensitive);
        package.ShouldContain(asking.Markers.Name);
        foreach (var (what, value) in other.Markers.Values)
        {
            package.ShouldNotContain(value, Case.Insensitive, $"the package must hold nothing of another learner, yet it holds their {what}");
        }

        var summary = await privacy.GetStringAsync($"/api/privacy/me/requests/{requestId}/package/summary", cancellationToken);
        foreach (var service in holders)
        {
            summary.ShouldContain($"{service}: ");
        }

        using var otherClient = stack.App.ClientFor("privacy-rights", other.Token);
        using var refused = await otherClient.GetAsync($"/api/privacy/me/requests/{requestId}/package", cancellationToken);
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound, "a package can only be downloaded by its own subject");
    }

    private async Task<Guid> SubmitAsync(ApiTokens token, string kind, CancellationToken cancellationToken)
    {
        using var privacy = stack.App.ClientFor("privacy-rights", token);
        using var submitted = await privacy.PostAsJsonAsync("/api/privacy/requests", new { kind }, cancellationToken);
        submitted.StatusCode.ShouldBe(HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync(cancellationToken));
        return (await submitted.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken)).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// A learner who leaves a trace in every holder: profile with phone and mailing address (Identity), a paid order
    /// and its invoice (Billing), an enrollment, completed lessons and a certificate (Catalog), the emails about all of it
    /// (Notifications) and signed-in page views (Analytics).
    /// </summary>
    private async Task<JourneyLearner> FullLearnerAsync(Guid courseId, CancellationToken cancellationToken)
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
            registered.StatusCode.ShouldBe(HttpStatusCode.Accepted, await registered.Content.ReadAsStringAsync(cancellationToken));
        }

        learner = learner with { SubjectId = await stack.App.ConfirmSignUpAsync(learner.Email, cancellationToken) };

        var token = await stack.App.SignInAsync(learner.Email, password, cancellationToken);
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

        return new JourneyLearner(learner, token, [order]);
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

    /// <summary>The holders PrivacyRights fans out to: every service in the inventory, at least every one the scan reads.</summary>
    private async Task<string[]> DeclaredHoldersAsync(CancellationToken cancellationToken)
    {
        var compliance = (await stack.CallersAsync(cancellationToken))[Caller.ComplianceOfficer]!;
        using var privacy = stack.App.ClientFor("privacy-rights", compliance);
        string[] scanned = ["identity", "catalog", "billing", "notifications", "analytics", "privacy-rights"];
        return await Purchases.EventuallyAsync(async () =>
        {
            var inventory = await privacy.GetFromJsonAsync<JsonElement>("/api/privacy/inventory", Json, cancellationToken);
            var services = inventory.EnumerateArray().Select(holder => holder.GetProperty("service").GetString()!).ToArray();
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

/// <summary>A learner with a trace in every holder, the token they signed in with and the orders they paid.</summary>
internal sealed record JourneyLearner(SubjectMarkers Markers, ApiTokens Token, IReadOnlyCollection<Guid> Orders);
