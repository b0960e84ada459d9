using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using Certometer.PrivacyRights.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Inventory;

/// <summary>Records each holder's latest inventory declaration in the registry.</summary>
internal sealed class PersonalDataInventoryDeclaredConsumer(PrivacyRightsDbContext db)
    : IdempotentConsumer<PersonalDataInventoryDeclared, PrivacyRightsDbContext>(db)
{
    protected override Task HandleOnceAsync(ConsumeContext<PersonalDataInventoryDeclared> context, CancellationToken cancellationToken)
    {
        var declaration = context.Message;
        var categories = JsonSerializer.Serialize(declaration.Categories, InventoryJson.Options);
        // One statement, so two instances racing on the same holder cannot both insert, and a declaration
        // delivered late (after a newer one) cannot roll the registry back.
        return Db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO personal_data_holders (service, categories, on_restriction, declared_at)
            VALUES ({declaration.Service}, {categories}::jsonb, {declaration.OnRestriction}, {declaration.DeclaredAt})
            ON CONFLICT (service) DO UPDATE
            SET categories = excluded.categories, on_restriction = excluded.on_restriction, declared_at = excluded.declared_at
            WHERE personal_data_holders.declared_at < excluded.declared_at
            """,
            cancellationToken);
    }
}
