using System.Text.Json;
using System.Text.Json.Serialization;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Inventory;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

public sealed class InventoryTests(PrivacyRightsService service)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task PrivacyRights_declares_its_own_inventory_through_the_broker_like_every_holder()
    {
        var entry = await WaitForEntryAsync("privacy-rights", _ => true);

        entry.Categories.Select(c => c.Name).ShouldContain("request-contact-address");
        entry.Categories.Single(c => c.Name == "consent-ledger").OnErasure.ShouldBe(ErasureAction.Retain);
    }

    [Fact]
    public async Task A_newer_declaration_replaces_the_entry_and_an_older_one_arriving_late_does_not_roll_it_back()
    {
        var holder = PrivacyRightsService.StandInHolder;
        var bus = service.Factory.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        await PublishAsync(bus, Declaration(holder, "first-category", now.AddMinutes(-10)));
        await WaitForEntryAsync(holder, e => e.Categories.Any(c => c.Name == "first-category"));

        await PublishAsync(bus, Declaration(holder, "current-category", now));
        await WaitForEntryAsync(holder, e => e.Categories.Any(c => c.Name == "current-category"));

        var lateMessageId = await PublishAsync(bus, Declaration(holder, "stale-category", now.AddMinutes(-5)));
        await WaitUntilConsumedAsync(lateMessageId);

        var entry = await WaitForEntryAsync(holder, _ => true);
        entry.Categories.Select(c => c.Name).ShouldBe(["current-category"]);
        entry.DeclaredAt.ShouldBe(now, TimeSpan.FromMilliseconds(1));
    }

    private static PersonalDataInventoryDeclared Declaration(string service, string category, DateTimeOffset at) => new(
        service,
        [new PersonalDataCategory(category, ["email"], "Testing the registry.", ErasureAction.Erase, Exported: true)],
        "Stops processing.",
        at);

    private static async Task<Guid> PublishAsync(IBus bus, PersonalDataInventoryDeclared declaration)
    {
        var messageId = Guid.NewGuid();
        await bus.Publish(declaration, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        return messageId;
    }

    private Task WaitUntilConsumedAsync(Guid messageId) => Eventually.HoldsAsync(
        async () =>
        {
            await using var scope = service.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
            return await db.Database
                .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM inbox_messages WHERE message_id = {messageId}")
                .SingleAsync(TestContext.Current.CancellationToken) == 1;
        },
        $"message {messageId} was consumed",
        TimeSpan.FromSeconds(30),
        TestContext.Current.CancellationToken);

    // Read from the registry's table: the HTTP endpoint needs a compliance officer's token, and the end-to-end suite covers it.
    private Task<HolderInventory> WaitForEntryAsync(string holder, Func<HolderInventory, bool> condition) => Eventually.ValueAsync(
        async () =>
        {
            await using var scope = service.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
            var row = await db.PersonalDataHolders.AsNoTracking()
                .SingleOrDefaultAsync(h => h.Service == holder, TestContext.Current.CancellationToken);
            var entry = row is null ? null : HolderInventory.From(row);
            return entry is not null && condition(entry) ? entry : null;
        },
        $"the inventory showed the expected entry for {holder}",
        TimeSpan.FromSeconds(30),
        TestContext.Current.CancellationToken);
}
