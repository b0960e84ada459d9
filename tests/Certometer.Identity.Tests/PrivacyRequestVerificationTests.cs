using Certometer.Contracts.Privacy;
using Certometer.HolderContract.Sealing;
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
        var sent = await identity.ReceiveAsync<PrivacyRequestVerificationCodeAddressed>();
        var verificationId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var lookup = Lookup(verificationId, $"  {learner.Email.ToUpperInvariant()} ");

        // Delivered twice with the same message id, as a broker may after a lost acknowledgement.
        await PublishAsync(lookup, messageId);
        await PublishAsync(lookup, messageId);

        var onTheWire = await Eventually.ValueAsync(
            () => Task.FromResult(sent.FirstOrDefault(e => e.VerificationId == verificationId)),
            "Notifications was asked to send the code", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        // The stand-in reads the message as the broker carried it: the code and the address are sealed under the subject's key.
        onTheWire.Code.ShouldStartWith(SealedValues.Prefix);
        onTheWire.Email.ShouldNotContain(learner.Email, Case.Insensitive);
        var addressed = await TestSubjectKeyring.Shared.OpenAsync(onTheWire);
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
        sent.Count(e => e.VerificationId == verificationId).ShouldBe(1);
        // Once the broker has it, Identity's outbox keeps no copy of the code.
        await Eventually.HoldsAsync(
            async () => await identity.QueryAsync(db => db.Database
                .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE message_type = {AddressedType} AND sent_at IS NULL")
                .SingleAsync(TestContext.Current.CancellationToken)) == 0,
            "the code's message is marked sent", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        (await identity.QueryAsync(db => db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE payload::text LIKE {"%" + lookup.Code + "%"}")
            .SingleAsync(TestContext.Current.CancellationToken))).ShouldBe(0);
    }

    [Fact]
    public async Task An_address_no_account_has_and_a_code_already_expired_send_nothing_and_name_nobody()
    {
        var learner = await identity.RegisterAsync();
        var addressedBefore = await AddressedCountAsync();
        var unknownId = Guid.NewGuid();
        var expiredId = Guid.NewGuid();
        var unknownMessage = Guid.NewGuid();
        var expiredMessage = Guid.NewGuid();

        await PublishAsync(Lookup(unknownId, $"nobody.{Guid.NewGuid():N}@example.test"), unknownMessage);
        await PublishAsync(Lookup(expiredId, learner.Email) with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) }, expiredMessage);
        await WaitUntilConsumedAsync(unknownMessage);
        await WaitUntilConsumedAsync(expiredMessage);

        // The code's messages forget their payload once sent, so count them: the tests of this class run one at a time.
        (await AddressedCountAsync()).ShouldBe(addressedBefore);
        (await identity.EventsAsync<PrivacyRequesterIdentified>()).ShouldNotContain(e => e.VerificationId == unknownId || e.VerificationId == expiredId);
    }

    private static readonly string AddressedType = typeof(PrivacyRequestVerificationCodeAddressed).FullName + ", Certometer.Contracts";

    private static PrivacyRequestVerificationRequested Lookup(Guid verificationId, string email) => new(
        verificationId,
        email,
        PrivacyRequestKind.Access,
        System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset.UtcNow.AddMinutes(30),
        DateTimeOffset.UtcNow);

    private Task<int> AddressedCountAsync() => identity.QueryAsync(db => db.Database
        .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE message_type = {AddressedType}")
        .SingleAsync(TestContext.Current.CancellationToken));

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
