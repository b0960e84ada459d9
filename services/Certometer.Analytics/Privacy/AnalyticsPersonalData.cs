using Certometer.Contracts.Privacy;
using Certometer.Privacy;

namespace Certometer.Analytics.Privacy;

/// <summary>The personal data the Analytics service holds, as declared to PrivacyRights at start-up.</summary>
internal static class AnalyticsPersonalData
{
    public static PersonalDataInventory Inventory { get; } = new(
        Service: "analytics",
        Categories:
        [
            new PersonalDataCategory(
                Name: "usage-events",
                Fields: ["pseudonymous id", "device type", "browser type", "coarse location", "language", "time zone", "screen size", "referring page", "exit page", "pages visited"],
                Purpose: "Understanding which parts of the site interest learners.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
        ],
        OnRestriction: "No usage events are collected for the subject, and existing ones are left out of reports.");
}
