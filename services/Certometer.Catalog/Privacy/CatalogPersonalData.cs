using Certometer.Contracts.Privacy;
using Certometer.Privacy;

namespace Certometer.Catalog.Privacy;

/// <summary>The personal data the Catalog service holds, as declared to PrivacyRights at start-up.</summary>
internal static class CatalogPersonalData
{
    public static PersonalDataInventory Inventory { get; } = new(
        Service: "catalog",
        Categories:
        [
            new PersonalDataCategory(
                Name: "enrollments",
                Fields: ["course", "enrolled at"],
                Purpose: "Giving access to purchased courses.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "learning-progress",
                Fields: ["lessons completed", "exam attempts", "exam results"],
                Purpose: "Tracking progress towards a certification.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "certificates",
                Fields: ["name printed on the certificate", "verification code", "issue date"],
                Purpose: "Issuing verifiable certificates.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
        ],
        OnRestriction: "Enrolled courses stay available; progress is not used for recommendations or profiling while restricted.");
}
