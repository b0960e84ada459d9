using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.HolderContract.Tests;

/// <summary>Only PrivacyRights can command a holder: a command without its signature is dropped, whoever sent it.</summary>
public sealed class CommandSignatureTests(SharedInfrastructure infrastructure)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> Forgeries => ["no signature", "garbage", "signed with another key", "a genuine signature from another command"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task An_erasure_order_without_PrivacyRights_signature_erases_nothing_and_gets_no_answer(string forgery)
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var victim = await holder.AddNotesAsync(2);
        var forged = new SubjectErasureRequested(Guid.NewGuid(), victim, DateTimeOffset.UtcNow);
        var header = forgery switch
        {
            "no signature" => "",
            "garbage" => "bm90IGEgc2lnbmF0dXJl",
            "signed with another key" => Sign(forged, RunningService.ForgerSigningKey),
            "a genuine signature from another command" => Sign(forged with { SubjectId = Guid.NewGuid() }, RunningService.PrivacyRightsSigningKey),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        var messageId = Guid.NewGuid();

        await holder.Services.GetRequiredService<IBus>().Publish(
            forged,
            context =>
            {
                context.MessageId = messageId;
                context.Headers.Set(EnvelopeSignature.Header, header);
            },
            Cancel);
        await holder.Consumed.WaitAsync(messageId, 1, Cancel);

        (await holder.NoteCountAsync(victim)).ShouldBe(2, "a forged order must not erase anything");
        (await holder.KeptTraceOfAsync(messageId)).ShouldBeFalse("a forged order is dropped: no inbox record, nothing parked to replay");
        Answers.Receipts.ShouldNotContain(r => r.RequestId == forged.RequestId);
        // The genuine order, signed by PrivacyRights' key, still works afterwards.
        var genuine = forged with { RequestId = Guid.NewGuid() };
        await holder.Services.GetRequiredService<IBus>().Publish(genuine, Cancel);
        await Eventually.ValueAsync(
            () => Task.FromResult(Answers.Receipts.FirstOrDefault(r => r.RequestId == genuine.RequestId)), "the genuine erasure's receipt", cancellationToken: Cancel);
        (await holder.NoteCountAsync(victim)).ShouldBe(0);
    }

    private static string Sign(SubjectErasureRequested command, string privateKey)
    {
        using var key = EnvelopeSignature.LoadKey(privateKey, isPrivate: true);
        return EnvelopeSignature.Sign(key, command);
    }
}
