using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Messaging.Tests;

public sealed class OutboxCopiesTests(SharedInfrastructure infrastructure)
{
    private static readonly Guid Subject = Guid.Parse("0b6f8f62-2c1e-4a6b-9d0e-6f1d3c2b1a09");
    private static readonly Guid Someone = Guid.Parse("5d7c2e11-8a4f-4c3b-b1e2-9f8e7d6c5b4a");

    [Fact]
    public void The_ids_an_event_names_are_found_wherever_they_stand_and_each_once()
    {
        var payload = $$"""{"subjectId":"{{Subject}}","lines":[{"learner":"{{Someone}}"}],"note":"merged into {{Subject.ToString().ToUpperInvariant()}} today"}""";

        OutboxMentions.In(payload).ShouldBe([Subject, Someone], ignoreOrder: true);
        OutboxMentions.In("""{"amount":12.5,"code":"ABC-123"}""").ShouldBeEmpty();
    }

    [Fact]
    public async Task Forgetting_a_subject_deletes_each_delivered_event_naming_their_id_anywhere_and_marks_the_undelivered_ones()
    {
        await using var db = await LedgerAsync();
        var named = Sent($$"""{"subjectId":"{{Subject}}"}""");
        var nestedInAList = Sent($$"""{"lines":[{"learner":"{{Subject}}"}]}""");
        var inText = Sent($$"""{"note":"merged into {{Subject}}"}""");
        var aboutSomeoneElse = Sent($$"""{"subjectId":"{{Someone}}"}""");
        var onItsWay = Unsent($$"""{"subjectId":"{{Subject}}"}""");
        var addressOnItsWay = Unsent("""{"email":"ada@example.test"}""");
        db.AddRange(named, nestedInAList, inText, aboutSomeoneElse, onItsWay, addressOnItsWay);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        var forgotten = await OutboxCopies.ForgetNamingAsync(db, [Subject], ["ada@example.test"], TestContext.Current.CancellationToken);

        forgotten.ShouldBe(5);
        var left = await db.Set<OutboxMessage>().AsNoTracking().ToDictionaryAsync(m => m.Id, TestContext.Current.CancellationToken);
        left.Keys.ShouldBe([aboutSomeoneElse.Id, onItsWay.Id, addressOnItsWay.Id], ignoreOrder: true);
        left[aboutSomeoneElse.Id].ForgetPayloadOnceSent.ShouldBeFalse();
        left[onItsWay.Id].ForgetPayloadOnceSent.ShouldBeTrue();
        left[addressOnItsWay.Id].ForgetPayloadOnceSent.ShouldBeTrue();
    }

    private async Task<LedgerDbContext> LedgerAsync()
    {
        var db = new LedgerDbContext(new DbContextOptionsBuilder<LedgerDbContext>()
            .UseServiceDatabase(await infrastructure.Postgres.CreateDatabaseAsync("copies")).Options);
        await db.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        return db;
    }

    private static OutboxMessage Sent(string payload) => new()
    {
        Id = Guid.CreateVersion7(),
        MessageType = "Test.Event, Test",
        Payload = payload,
        Mentions = OutboxMentions.In(payload),
        OccurredAt = DateTimeOffset.UtcNow,
        AvailableAt = DateTimeOffset.UtcNow,
        SentAt = DateTimeOffset.UtcNow,
    };

    private static OutboxMessage Unsent(string payload) => new()
    {
        Id = Guid.CreateVersion7(),
        MessageType = "Test.Event, Test",
        Payload = payload,
        Mentions = OutboxMentions.In(payload),
        OccurredAt = DateTimeOffset.UtcNow,
        AvailableAt = DateTimeOffset.UtcNow,
    };
}
