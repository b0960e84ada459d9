using System.Net;
using System.Net.Http.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.HolderContract.Sealing;
using Certometer.HolderContract.Tombstones;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.SubjectKeys;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Tests;

/// <summary>The key store every service seals personal values with: who may ask it, and that erasure destroys for good.</summary>
public sealed class SubjectKeyTests(WorkflowService service) : IClassFixture<WorkflowService>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_holder_signing_with_its_own_key_gets_one_key_per_subject_made_on_first_use()
    {
        var subject = Guid.NewGuid();

        using var unknown = await AskAsync(HttpMethod.Get, subject);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing was sealed for the subject yet, and opening makes no key");
        var made = await KeyOfAsync(HttpMethod.Put, subject);
        var again = await KeyOfAsync(HttpMethod.Put, subject);
        var found = await KeyOfAsync(HttpMethod.Get, subject);

        made.Length.ShouldBe(32);
        again.ShouldBe(made);
        found.ShouldBe(made);
        (await KeyOfAsync(HttpMethod.Put, Guid.NewGuid())).ShouldNotBe(made, "every subject has a key of their own");
    }

    [Theory]
    [InlineData("unsigned")]
    [InlineData("a key no holder has")]
    [InlineData("a holder's key, naming another holder")]
    [InlineData("signed five minutes ago")]
    [InlineData("signed for another subject")]
    public async Task A_key_request_not_freshly_signed_by_the_holder_it_names_is_refused_with_a_problem(string forgery)
    {
        var subject = Guid.NewGuid();
        await KeyOfAsync(HttpMethod.Put, subject);
        using var client = service.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseAddress!, $"/api/privacy/subject-keys/{subject}"));
        using var holderKey = EnvelopeSignature.LoadKey(RunningService.StandInSigningKey, isPrivate: true);
        using var forgerKey = EnvelopeSignature.LoadKey(RunningService.ForgerSigningKey, isPrivate: true);
        switch (forgery)
        {
            case "a key no holder has":
                SignedServiceRequests.Sign(request, "learning", forgerKey, DateTimeOffset.UtcNow);
                break;
            case "a holder's key, naming another holder":
                SignedServiceRequests.Sign(request, WorkflowService.PrivacyRightsHolder, holderKey, DateTimeOffset.UtcNow);
                break;
            case "signed five minutes ago":
                SignedServiceRequests.Sign(request, "learning", holderKey, DateTimeOffset.UtcNow.AddMinutes(-5));
                break;
            case "signed for another subject":
                using (var other = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseAddress!, $"/api/privacy/subject-keys/{Guid.NewGuid()}")))
                {
                    SignedServiceRequests.Sign(other, "learning", holderKey, DateTimeOffset.UtcNow);
                    foreach (var header in other.Headers)
                    {
                        request.Headers.Add(header.Key, header.Value);
                    }
                }

                break;
        }

        using var response = await client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldNotContain("\"key\"");
    }

    [Fact]
    public async Task The_completion_notice_carries_the_address_sealed_and_once_the_subject_was_told_their_key_is_gone_for_good()
    {
        var subject = Guid.NewGuid();
        var address = $"sealed-{subject:N}@example.test";
        var request = await service.ApprovedAsync(subject, PrivacyRequestKind.Erasure);
        await service.PublishAsync(new AccountLocked(request.Id, subject, AccountFound: true, TokensRevoked: 1, Now, address, "en"));
        await service.WaitForRequestAsync(request.Id, d => d.Holders.Count == 3, "every registered holder is asked");
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "learning", rows: 1));
        await service.PublishAsync(PrivacyApi.Receipt(request.Id, "payments", rows: 1));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.NotifyingSubject, "the subject is to be told");

        var notice = await Eventually.ValueAsync(
            async () => (await service.InDatabaseAsync(db => db.StagedPayloadsAsync<PrivacyRequestCompleted>()))
                .SingleOrDefault(payload => payload.Contains(request.Id.ToString(), StringComparison.Ordinal) && payload.Contains(SealedValues.Prefix, StringComparison.Ordinal)),
            "the notice is published, its address sealed",
            cancellationToken: Cancel);
        notice.ShouldNotContain(address, Case.Insensitive, "what reached the broker, and what the outbox keeps, holds the address sealed");

        await service.PublishAsync(new PrivacyNoticeDelivered(request.Id, PrivacyNotice.RequestCompleted, Now));
        await service.WaitForRequestAsync(request.Id, d => d.Request.Stage == WorkflowStage.Closed, "the subject was told, so they are forgotten");

        using var find = await AskAsync(HttpMethod.Get, subject);
        find.StatusCode.ShouldBe(HttpStatusCode.Gone, "the copy captured above can never be opened again");
        using var make = await AskAsync(HttpMethod.Put, subject);
        make.StatusCode.ShouldBe(HttpStatusCode.Gone, "no publisher can give the erased subject a new key");
        var rows = await service.InDatabaseAsync(db => db.SubjectKeys.Where(k => k.DestroyedAt != null && k.WrappedKey == null).Select(k => k.Pseudonym).ToListAsync());
        var idBytes = subject.ToByteArray();
        rows.ShouldNotBeEmpty();
        rows.Count(pseudonym => pseudonym.AsSpan().IndexOf(idBytes) >= 0).ShouldBe(0, "the row left behind is keyed by an HMAC, not the id");
    }

    [Fact]
    public async Task After_a_master_key_rotation_every_subject_key_is_rewrapped_under_the_new_master_key_and_still_opens_the_same()
    {
        const string newMasterKey = "bmV3LXN1YmplY3Qta2V5LW1hc3Rlci1rZXktMzJiISE=";
        await using var rotated = await service.StartAsync(host => host.UseSetting("PrivacyRights:SubjectKeys:MasterKeys:test-2", newMasterKey));
        var store = rotated.Services.GetRequiredService<SubjectKeyStore>();
        var subject = Guid.NewGuid();
        var key = await store.GetOrCreateAsync(subject, Cancel);

        // The same database, now with test-2 current: what a restart after rotation runs.
        var afterRotation = new SubjectKeyStore(
            rotated.Services.GetRequiredService<IServiceScopeFactory>(),
            rotated.Services.GetRequiredService<ErasureTombstones>(),
            Options.Create(new SubjectKeyOptions { CurrentMasterKey = "test-2", MasterKeys = { ["test-1"] = RunningService.SubjectKeyMasterKey, ["test-2"] = newMasterKey } }),
            TimeProvider.System);
        (await afterRotation.RewrapBatchAsync(Cancel)).ShouldBe(1);
        (await afterRotation.RewrapBatchAsync(Cancel)).ShouldBe(0, "nothing is left under the old master key");

        await using var scope = rotated.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>().SubjectKeys.Select(k => k.MasterKeyId).Distinct().ToListAsync(Cancel))
            .ShouldBe(["test-2"]);
        (await afterRotation.FindAsync(subject, Cancel)).ShouldBe(key, "the subject's key itself is unchanged, so everything sealed with it still opens");
    }

    private async Task<byte[]> KeyOfAsync(HttpMethod method, Guid subject)
    {
        using var response = await AskAsync(method, subject);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return Convert.FromBase64String((await response.Content.ReadFromJsonAsync<SubjectKeyResponse>(Cancel))!.Key);
    }

    /// <summary>Asks as the stand-in "learning" holder, signed with its key, as RemoteSubjectKeyring does.</summary>
    private async Task<HttpResponseMessage> AskAsync(HttpMethod method, Guid subject)
    {
        using var client = service.Factory.CreateClient();
        using var request = new HttpRequestMessage(method, new Uri(client.BaseAddress!, $"/api/privacy/subject-keys/{subject}"));
        using var key = EnvelopeSignature.LoadKey(RunningService.StandInSigningKey, isPrivate: true);
        SignedServiceRequests.Sign(request, "learning", key, DateTimeOffset.UtcNow);
        return await client.SendAsync(request, Cancel);
    }
}
