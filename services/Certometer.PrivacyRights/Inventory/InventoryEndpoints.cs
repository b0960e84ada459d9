using System.Text.Json;
using System.Text.Json.Serialization;
using Certometer.Auth;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Inventory;

/// <summary>The data inventory: which services hold personal data, what kinds, and what each does per right.</summary>
internal static class InventoryEndpoints
{
    public const string PathPrefix = "/api/privacy/inventory";

    public static IEndpointRouteBuilder MapInventoryEndpoints(this IEndpointRouteBuilder app)
    {
        var inventory = app.MapGroup(PathPrefix).WithTags("Inventory");

        // Compliance staff audit the data map and the erasure fan-out reads it; the public privacy policy is written
        // from it, but the live registry (which services, which fields) is an attack map, so it is not public.
        inventory.MapGet("/", GetInventory)
            .RequireAuthorization(PlatformPolicies.ComplianceOfficer)
            .WithName("GetPersonalDataInventory")
            .WithSummary("Every service that holds personal data, with its latest declared categories.");
        return app;
    }

    private static async Task<Ok<HolderInventory[]>> GetInventory(PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        var holders = await db.PersonalDataHolders.AsNoTracking().OrderBy(h => h.Service).ToListAsync(cancellationToken);
        return TypedResults.Ok(holders.Select(HolderInventory.From).ToArray());
    }
}

/// <summary>One holder's entry in the data inventory.</summary>
public sealed record HolderInventory(
    string Service,
    IReadOnlyList<PersonalDataCategory> Categories,
    string OnRestriction,
    DateTimeOffset DeclaredAt)
{
    internal static HolderInventory From(PersonalDataHolder holder) => new(
        holder.Service,
        JsonSerializer.Deserialize<List<PersonalDataCategory>>(holder.Categories, InventoryJson.Options) ?? [],
        holder.OnRestriction,
        holder.DeclaredAt);
}

internal static class InventoryJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
