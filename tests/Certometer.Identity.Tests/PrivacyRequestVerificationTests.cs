using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Identity.Tests;

public sealed class PrivacyRequestVerificationTests(IdentityService identity)
{
    [Fact]
    public async Task An_address_typed_in_another_case_gets_the_code_sent_to_the_account_s_own_address_and_names_the_subject_once()
    {
        var learner = await identity.RegisterAsync();
        var verificationId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var lookup = Lookup(verificationId, $"  {learner.Email.ToUpperInvariant()} ");

        // Delivered twice with the same message id, as a broker may after a lost acknowledgement.
        await PublishAsync(lookup, messageId);
        await PublishAsync(lookup, messageId);

        var addressed = await identity.WaitForEventAsync<PrivacyRequestVerificationCodeAddressed>(e => e.VerificationId == verificationId);
        var identified = await identity.WaitForEventAsync<PrivacyRequesterIdentified>(e => e.VerificationId == verificationId);
        addressed.Email.ShouldBe(learner.Email);
        addressed.SubjectId.ShouldBe(learner.SubjectId);
        addressed.Name.ShouldBe(learner.Name);
        addressed.PreferredLanguage.ShouldBe("en-GB");
        addressed.Code.ShouldBe(lookup.Code);
        addressed.Kind.ShouldBe(PrivacyRequestKind.Access);
        identified.SubjectId.ShouldBe(learner.SubjectId);

        await WaitUntilConsumedAsync(messageId);
        (await identity.EventsAsync<PrivacyRequesterIdentified>()).Count(e => e.VerificationId == verificationId).ShouldBe(1);
        (await identity.EventsAsync<PrivacyRequestVerificationCodeAddressed>()).Count(e => e.VerificationId == verificationId).ShouldBe(1);
    }

    [Fact]
    public async Task An_address_no_account_has_and_a_code_already_expired_send_nothing_and_name_nobody()
    {
        var learner = await identity.RegisterAsync();
        var unknownId = Guid.NewGuid();
        var expiredId = Guid.NewGuid();
        var unknownMessage = Guid.NewGuid();
        var expiredMessage = Guid.NewGuid();

        await PublishAsync(Lookup(unknownId, $"nobody.{Guid.NewGuid():N}@example.test"), unknownMessage);
        await PublishAsync(Lookup(expiredId, learner.Email) with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) }, expiredMessage);
        await WaitUntilConsumedAsync(unknownMessage);
        await WaitUntilConsumedAsync(expiredMessage);

        (await identity.EventsAsync<PrivacyRequestVerificationCodeAddressed>()).ShouldNotContain(e => e.VerificationId == unknownId || e.VerificationId == expiredId);
        (await identity.EventsAsync<PrivacyRequesterIdentified>()).ShouldNotContain(e => e.VerificationId == unknownId || e.VerificationId == expiredId);
    }

    private static PrivacyRequestVerificationRequested Lookup(Guid verificationId, string email) =>
        new(verificationId, email, PrivacyRequestKind.Access, "042917", DateTimeOffset.UtcNow.AddMinutes(30), DateTimeOffset.UtcNow);

    private Task PublishAsync(PrivacyRequestVerificationRequested lookup, Guid messageId) =>
        identity.Factory.Services.GetRequiredService<IBus>()
            .Publish(lookup, context => context.MessageId = messageId, TestContext.Current.CancellationToken);

    private Task WaitUntilConsumedAsync(Guid messageId) => Eventually.HoldsAsync(
        () => identity.QueryAsync(async db => await db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM inbox_messages WHERE message_id = {messageId}")
            .SingleAsync(TestContext.Current.CancellationToken) == 1),
        $"Identity consumed message {messageId}",
        TimeSpan.FromSeconds(30),
        TestContext.Current.CancellationToken);
}
