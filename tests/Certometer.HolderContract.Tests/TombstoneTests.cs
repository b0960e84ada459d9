using System.Security.Cryptography;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract.Tombstones;
using Certometer.Persistence;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Certometer.HolderContract.Tests;

/// <summary>The holder contract's tombstones: once a holder erased a subject, nothing brings them back there.</summary>
public sealed class TombstoneTests(SharedInfrastructure infrastructure)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fact_about_the_subject_arriving_after_the_erasure_is_dropped_while_one_arriving_before_was_applied()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subject = await holder.AddNotesAsync(1);
        var other = await holder.AddNotesAsync(1);

        await holder.DeliverAsync(Rectified(subject, "Before Erasure"));
        (await holder.NoteCountAsync(subject)).ShouldBe(2, "a correction before the erasure is applied as usual");
        await EraseAsync(holder, subject);
        await holder.DeliverAsync(Rectified(subject, "Late Correction"));
        await holder.DeliverAsync(Rectified(other, "Someone Else"));

        (await holder.NoteCountAsync(subject)).ShouldBe(0, "the late correction must not recreate the erased subject's notes");
        (await holder.NoteCountAsync(other)).ShouldBe(2, "another subject's correction still applies");
        var queues = await infrastructure.Broker.QueueDepthsAsync(holder.BrokerAddress);
        queues.Where(q => q.Key.EndsWith("_error", StringComparison.Ordinal) || q.Key.EndsWith("_skipped", StringComparison.Ordinal)).Sum(q => q.Value)
            .ShouldBe(0, "a dropped fact is acknowledged as consumed, not sent on where it would keep the subject's data");
        (await DatabaseScan.ReadAsync(holder.Database, Cancel)).ColumnsContaining("Late Correction", StringComparison.Ordinal)
            .ShouldBeEmpty("nor parked as a dead letter");
    }

    [Fact]
    public async Task A_write_for_the_subject_already_under_way_when_the_erasure_arrives_is_waited_for_and_erased_with_the_rest()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subject = await holder.AddNotesAsync(2);
        await using var scope = holder.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HolderDbContext>();
        var request = new SubjectErasureRequested(Guid.NewGuid(), subject, DateTimeOffset.UtcNow);

        using (ErasedSubjectGuard.ActFor(subject))
        {
            // The way every service writes in a transaction: inside the execution strategy.
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var write = await db.Database.BeginTransactionAsync(Cancel);
                db.Notes.Add(new SubjectNote { Id = Guid.NewGuid(), SubjectId = subject, Text = "written while the erasure arrives" });
                await db.SaveChangesAsync(Cancel);

                await holder.Services.GetRequiredService<IBus>().Publish(request, Cancel);
                await Task.Delay(TimeSpan.FromSeconds(2), Cancel);
                Answers.Receipts.ShouldNotContain(r => r.RequestId == request.RequestId, "the erasure waits for the write in progress");
                await write.CommitAsync(Cancel);
            });
        }

        var receipt = await Eventually.ValueAsync(
            () => Task.FromResult(Answers.Receipts.FirstOrDefault(r => r.RequestId == request.RequestId)), "the erasure receipt", cancellationToken: Cancel);
        receipt.Receipt.Lines.Single(l => l.Category == "notes").Rows.ShouldBe(3, "the note committed while the erasure waited is erased too");
        (await holder.NoteCountAsync(subject)).ShouldBe(0);
    }

    [Fact]
    public async Task Any_write_acting_for_an_erased_subject_is_refused_and_leaves_nothing()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subject = await holder.AddNotesAsync(1);
        await EraseAsync(holder, subject);
        await using var scope = holder.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HolderDbContext>();

        using (ErasedSubjectGuard.ActFor(subject))
        {
            db.Notes.Add(new SubjectNote { Id = Guid.NewGuid(), SubjectId = subject, Text = "too late" });
            await Should.ThrowAsync<SubjectErasedException>(() => db.SaveChangesAsync(Cancel));
        }

        (await holder.NoteCountAsync(subject)).ShouldBe(0);
    }

    [Fact]
    public async Task The_tombstone_is_a_keyed_hash_and_the_database_keeps_no_trace_of_the_subject_id()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subject = await holder.AddNotesAsync(1);

        await EraseAsync(holder, subject);

        var tombstones = holder.Services.GetRequiredService<ErasureTombstones>();
        var scan = await DatabaseScan.ReadAsync(holder.Database, Cancel);
        var tombstoneCells = scan.Cells.Where(c => c.Column == "erasure_tombstones.subject_key").Select(c => c.Value).ToList();
        tombstoneCells.ShouldContain($"\\x{Convert.ToHexStringLower(tombstones.KeyOf(subject))}");
        var traces = new[]
        {
            subject.ToString(),
            Convert.ToHexStringLower(subject.ToByteArray()),
            Convert.ToHexStringLower(SHA256.HashData(subject.ToByteArray())),
        };
        scan.Cells.Where(c => traces.Any(trace => c.Value.Contains(trace, StringComparison.OrdinalIgnoreCase)))
            .ShouldBeEmpty("the id, its bytes or an unkeyed hash of it would let anyone holding the database tell who was erased");
    }

    [Fact]
    public async Task The_sent_copy_of_an_export_part_is_erased_with_the_subject()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subject = Guid.NewGuid();
        var marker = $"exported-{subject:N}";
        await holder.DeliverAsync(Rectified(subject, marker));
        await holder.DeliverAsync(new SubjectDataExportRequested(Guid.NewGuid(), subject, DateTimeOffset.UtcNow));
        await Eventually.HoldsAsync(
            async () => (await holder.StagedAsync<SubjectDataExported>()).Any(part => part.ContentJson.Contains(marker, StringComparison.Ordinal)),
            "the export part is staged in the outbox",
            cancellationToken: Cancel);

        await EraseAsync(holder, subject);

        (await DatabaseScan.ReadAsync(holder.Database, Cancel)).ColumnsContaining(marker, StringComparison.Ordinal)
            .ShouldBeEmpty("the part went out under a request id; it names the subject too, so the erasure finds and deletes its copy");
    }

    [Fact]
    public async Task A_failed_message_naming_the_subject_is_erased_from_the_dead_letters_and_nothing_readable_stays_in_the_broker()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subject = await holder.AddNotesAsync(1);
        var name = $"{NotesRectifier.RejectedPrefix}{Guid.NewGuid():N}";
        await holder.Services.GetRequiredService<IBus>().Publish(Rectified(subject, name), Cancel);
        await Eventually.HoldsAsync(
            async () => (await DatabaseScan.ReadAsync(holder.Database, Cancel)).ColumnsContaining(name, StringComparison.Ordinal).Contains("dead_letters.body"),
            "the failed rectification is parked as a dead letter",
            cancellationToken: Cancel);

        var receipt = await EraseAsync(holder, subject);

        receipt.Receipt.Lines.Single(l => l.Category == DeadLetterCopies.Category.Name).Rows.ShouldBe(1, "the receipt says the dead letter went");
        (await DatabaseScan.ReadAsync(holder.Database, Cancel)).ColumnsContaining(name, StringComparison.Ordinal)
            .ShouldBeEmpty("no table keeps the value the failed message carried");
        var queues = await infrastructure.Broker.QueueDepthsAsync(holder.BrokerAddress);
        queues.Keys.ShouldContain(queue => queue.EndsWith("_error", StringComparison.Ordinal), "the failure is still visible to operators");
        foreach (var queue in queues.Keys)
        {
            foreach (var body in await infrastructure.Broker.PeekAsync(holder.BrokerAddress, queue))
            {
                body.ShouldNotContain(name, customMessage: $"{queue} keeps the failed message's value");
                body.ShouldNotContain(subject.ToString(), customMessage: $"{queue} keeps the erased subject's id");
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public void A_holder_without_a_long_tombstone_key_refuses_to_start_and_names_the_setting(string? key)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:holder"] = "Host=127.0.0.1;Port=1;Database=none",
            ["PersonalData:TombstoneKey"] = key,
        });
        builder.AddServiceDatabase<HolderDbContext>("holder");
        builder.AddPersonalDataHolder<HolderDbContext>(
            new("startup-holder", [new("notes", ["text"], "Testing start-up.", ErasureAction.Erase, Exported: true)], "Stops processing."));
        using var host = builder.Build();

        var failure = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(
            () => host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ErasureTombstoneOptions>>().Value);

        failure.Message.ShouldContain("PersonalData:TombstoneKey");
    }

    private static SubjectDataRectified Rectified(Guid subject, string name) =>
        new(subject, new Dictionary<string, string?> { ["name"] = name }, DateTimeOffset.UtcNow);

    private static async Task<SubjectErased> EraseAsync(HolderService holder, Guid subject)
    {
        var request = new SubjectErasureRequested(Guid.NewGuid(), subject, DateTimeOffset.UtcNow);
        await holder.Services.GetRequiredService<IBus>().Publish(request, Cancel);
        return await Eventually.ValueAsync(
            () => Task.FromResult(Answers.Receipts.FirstOrDefault(r => r.RequestId == request.RequestId)), "the erasure receipt", cancellationToken: Cancel);
    }
}
