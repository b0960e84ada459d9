using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Intake;
using Certometer.PrivacyRights.Requests;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

// The test plays Identity: it receives the lookup PrivacyRights publishes for it, and answers (or stays silent) on the bus.
public sealed class UnverifiedRequestTests(PrivacyRightsService service)
{
    private const string Path = "/api/privacy/requests/unverified";

    [Fact]
    public async Task The_emailed_code_makes_the_request_for_the_account_once_and_only_a_keyed_hash_of_it_was_stored()
    {
        var subject = Guid.NewGuid();
        var email = Address();
        var (pending, code) = await StartAsync(email, PrivacyRequestKind.Portability);
        await IdentifyAsync(pending.VerificationId, subject);

        using var verified = await VerifyAsync(pending.VerificationId, code);
        using var again = await VerifyAsync(pending.VerificationId, code);

        verified.StatusCode.ShouldBe(HttpStatusCode.Created, await verified.Content.ReadAsStringAsync(PrivacyApi.Cancellation));
        var request = await verified.ReadAsync<PrivacyRequestResponse>();
        request.SubjectId.ShouldBe(subject);
        request.Kind.ShouldBe(PrivacyRequestKind.Portability);
        request.Channel.ShouldBe(RequestChannel.EmailVerified);
        request.ContactEmail.ShouldBe(email);
        request.Deadline.ShouldBe(request.ReceivedAt.AddMonths(1));
        again.StatusCode.ShouldBe(HttpStatusCode.Gone);
        again.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await service.StagedEventsAsync(request.Id)).ShouldBe([typeof(PrivacyRequestReceived).FullName + ", Certometer.Contracts"]);
        var audit = await service.InDatabaseAsync(db => db.AuditEntries.SingleAsync(e => e.RequestId == request.Id, PrivacyApi.Cancellation));
        audit.Action.ShouldBe("ReceivedEmailVerified");

        var row = await service.InDatabaseAsync(db => db.Database
            .SqlQuery<string>($"SELECT row_to_json(v)::text AS \"Value\" FROM request_verifications v WHERE id = {pending.VerificationId}")
            .SingleAsync(PrivacyApi.Cancellation));
        row.ShouldNotContain(code);
        row.ShouldNotContain(email);
        row.ShouldContain(request.Id.ToString());
        // The lookup that carried the code to Identity was published (the stand-in got it); its outbox row kept no copy.
        var lookupType = typeof(PrivacyRequestVerificationRequested).FullName + ", Certometer.Contracts";
        await Eventually.HoldsAsync(
            async () => await service.InDatabaseAsync(db => db.Database
                .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE message_type = {lookupType} AND sent_at IS NULL")
                .SingleAsync(PrivacyApi.Cancellation)) == 0,
            "every lookup is marked sent", TimeSpan.FromSeconds(30), PrivacyApi.Cancellation);
        var payloads = await service.InDatabaseAsync(db => db.Database
            .SqlQuery<string>($"SELECT payload::text AS \"Value\" FROM outbox_messages WHERE message_type = {lookupType} AND sent_at IS NOT NULL")
            .ToListAsync(PrivacyApi.Cancellation));
        payloads.ShouldNotBeEmpty();
        payloads.ShouldAllBe(payload => payload == "{}");
    }

    [Fact]
    public async Task Wrong_codes_are_counted_and_after_five_even_the_right_code_is_refused()
    {
        var subject = Guid.NewGuid();
        var (pending, code) = await StartAsync(Address(), PrivacyRequestKind.Access);
        await IdentifyAsync(pending.VerificationId, subject);
        var wrong = WrongCode(code);

        var attemptsLeft = new List<int>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var response = await VerifyAsync(pending.VerificationId, wrong);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            attemptsLeft.Add((await response.ReadAsync<JsonElement>()).GetProperty("attemptsLeft").GetInt32());
        }

        using var sixth = await VerifyAsync(pending.VerificationId, code);

        attemptsLeft.ShouldBe([4, 3, 2, 1, 0]);
        sixth.StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await sixth.ReadAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Too many wrong codes.");
        (await service.InDatabaseAsync(db => db.RequestVerifications.SingleAsync(v => v.Id == pending.VerificationId, PrivacyApi.Cancellation)))
            .FailedAttempts.ShouldBe(5);
        (await service.InDatabaseAsync(db => db.Requests.AnyAsync(r => r.SubjectId == subject, PrivacyApi.Cancellation))).ShouldBeFalse();
    }

    [Fact]
    public async Task An_expired_code_is_refused_even_when_right()
    {
        var subject = Guid.NewGuid();
        var (pending, code) = await StartAsync(Address(), PrivacyRequestKind.Erasure);
        await IdentifyAsync(pending.VerificationId, subject);
        pending.ExpiresAt.ShouldBe(DateTimeOffset.UtcNow.AddMinutes(30), TimeSpan.FromMinutes(1));
        await service.InDatabaseAsync(db => db.RequestVerifications.Where(v => v.Id == pending.VerificationId)
            .ExecuteUpdateAsync(v => v.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)), PrivacyApi.Cancellation));

        using var response = await VerifyAsync(pending.VerificationId, code);

        response.StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await response.ReadAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("This code has expired.");
        (await service.InDatabaseAsync(db => db.Requests.AnyAsync(r => r.SubjectId == subject, PrivacyApi.Cancellation))).ShouldBeFalse();
    }

    [Fact]
    public async Task An_address_without_an_account_is_answered_exactly_alike_and_never_gets_a_request()
    {
        using var client = service.Factory.CreateClient();
        var known = await StartAsync(Address(), PrivacyRequestKind.Access);
        await IdentifyAsync(known.Pending.VerificationId, Guid.NewGuid());

        // Identity finds no account for this one and stays silent; no code was ever sent.
        using var unknownStart = await client.PostAsJsonAsync(Path, new { email = Address(), kind = "Access" }, PrivacyApi.Cancellation);
        unknownStart.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var unknown = await unknownStart.ReadAsync<JsonElement>();
        unknown.EnumerateObject().Select(p => p.Name).ShouldBe(["verificationId", "expiresAt"]);
        var verificationId = unknown.GetProperty("verificationId").GetGuid();
        var code = (await LookupAsync(verificationId)).Code;

        using var withTheCode = await VerifyAsync(verificationId, code);
        using var withAnother = await VerifyAsync(verificationId, WrongCode(code));

        withTheCode.StatusCode.ShouldNotBe(HttpStatusCode.Created);
        withAnother.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var verification = await service.InDatabaseAsync(db => db.RequestVerifications.SingleAsync(v => v.Id == verificationId, PrivacyApi.Cancellation));
        verification.SubjectId.ShouldBeNull();
        verification.RequestId.ShouldBeNull();
    }

    [Fact]
    public async Task An_unknown_verification_is_not_found_and_a_malformed_code_or_request_is_a_validation_problem()
    {
        using var client = service.Factory.CreateClient();

        using var unknown = await VerifyAsync(Guid.NewGuid(), "123456");
        using var malformed = await client.PostAsJsonAsync($"{Path}/{Guid.NewGuid()}/verify", new { code = "12ab" }, PrivacyApi.Cancellation);
        using var badStart = await client.PostAsJsonAsync(Path, new { email = "not-an-address", kind = "Teleport" }, PrivacyApi.Cancellation);

        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await malformed.ReadAsync<JsonElement>()).GetProperty("errors").TryGetProperty("code", out _).ShouldBeTrue();
        badStart.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        badStart.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_verification_for_a_subject_with_an_open_request_of_that_kind_is_refused_as_a_duplicate_and_stays_usable()
    {
        var subject = Guid.NewGuid();
        var own = await service.SubmitAsync(subject, PrivacyRequestKind.Restriction);
        var (pending, code) = await StartAsync(Address(), PrivacyRequestKind.Restriction);
        await IdentifyAsync(pending.VerificationId, subject);

        using var response = await VerifyAsync(pending.VerificationId, code);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.ReadAsync<JsonElement>()).GetProperty("existingRequestId").GetGuid().ShouldBe(own.Id);
        (await service.InDatabaseAsync(db => db.RequestVerifications.SingleAsync(v => v.Id == pending.VerificationId, PrivacyApi.Cancellation)))
            .UsedAt.ShouldBeNull();
    }

    [Fact]
    public async Task One_client_address_is_limited_across_both_anonymous_endpoints()
    {
        await using var limited = await service.StartAsync(host => host.UseSetting("PrivacyRights:Verification:AbuseLimit:PermitLimit", "3"));
        using var client = limited.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 2; call++)
        {
            using var start = await client.PostAsJsonAsync(Path, new { email = Address(), kind = "Access" }, PrivacyApi.Cancellation);
            statuses.Add(start.StatusCode);
        }

        using var verify = await client.PostAsJsonAsync($"{Path}/{Guid.NewGuid()}/verify", new { code = "123456" }, PrivacyApi.Cancellation);
        using var limitedStart = await client.PostAsJsonAsync(Path, new { email = Address(), kind = "Access" }, PrivacyApi.Cancellation);
        using var signedIn = await client.GetAsync("/health/live", PrivacyApi.Cancellation);

        statuses.ShouldBe([HttpStatusCode.Accepted, HttpStatusCode.Accepted]);
        verify.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        limitedStart.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limitedStart.Headers.RetryAfter.ShouldNotBeNull();
        limitedStart.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Codes_sent_to_one_address_are_limited_whoever_asks_and_the_answer_stays_the_same()
    {
        var address = Address();
        using var client = service.Factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        foreach (var typed in new[] { address, address, address.ToUpperInvariant(), address, address })
        {
            using var start = await client.PostAsJsonAsync(Path, new { email = typed, kind = "Access" }, PrivacyApi.Cancellation);
            statuses.Add(start.StatusCode);
            (await start.ReadAsync<PendingVerification>()).VerificationId.ShouldNotBe(Guid.Empty);
        }

        statuses.ShouldAllBe(status => status == HttpStatusCode.Accepted, "a limited start looks like any other");
        var typedAddresses = await service.InDatabaseAsync(db => db.RequestVerifications
            .Where(v => v.Email != null).Select(v => v.Email!).ToListAsync(PrivacyApi.Cancellation));
        typedAddresses.Count(typed => string.Equals(typed, address, StringComparison.OrdinalIgnoreCase)).ShouldBe(3, "PrivacyRights:Verification:CodesPerAddress allows three codes an hour to one address, however it is written");
    }

    private static string Address() => $"someone.{Guid.NewGuid():N}@example.org";

    private static string WrongCode(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000)
        .ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(PendingVerification Pending, string Code)> StartAsync(string email, PrivacyRequestKind kind)
    {
        using var client = service.Factory.CreateClient();
        using var response = await client.PostAsJsonAsync(Path, new { email, kind = kind.ToString() }, PrivacyApi.Cancellation);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(PrivacyApi.Cancellation));
        var pending = await response.ReadAsync<PendingVerification>();
        var lookup = await LookupAsync(pending.VerificationId);
        lookup.Email.ShouldBe(email);
        lookup.Kind.ShouldBe(kind);
        return (pending, lookup.Code);
    }

    private Task<PrivacyRequestVerificationRequested> LookupAsync(Guid verificationId) => service.Identity.LookupAsync(verificationId);

    /// <summary>Answers as Identity does when an account has the address, and waits until PrivacyRights has taken it in.</summary>
    private async Task IdentifyAsync(Guid verificationId, Guid subjectId)
    {
        await service.Factory.Services.GetRequiredService<IBus>()
            .Publish(new PrivacyRequesterIdentified(verificationId, subjectId, DateTimeOffset.UtcNow), PrivacyApi.Cancellation);
        await Eventually.HoldsAsync(
            () => service.InDatabaseAsync(db => db.RequestVerifications.AnyAsync(v => v.Id == verificationId && v.SubjectId == subjectId, PrivacyApi.Cancellation)),
            "PrivacyRights learned whose verification it is",
            TimeSpan.FromSeconds(30),
            PrivacyApi.Cancellation);
    }

    private async Task<HttpResponseMessage> VerifyAsync(Guid verificationId, string code)
    {
        using var client = service.Factory.CreateClient();
        return await client.PostAsJsonAsync($"{Path}/{verificationId}/verify", new { code }, PrivacyApi.Cancellation);
    }
}
