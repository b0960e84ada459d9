using Certometer.Contracts.Privacy;
using Certometer.HolderContract;

namespace Certometer.Analytics.PersonalData;

/// <summary>The personal data the Analytics service holds, as declared to PrivacyRights at start-up.</summary>
/// <remarks>
/// Only signed-in visitors' data is personal here, and only through a pseudonym (HMAC of the subject id under
/// <c>Analytics:PseudonymKey</c>); subject ids, names, emails, user agents and IP addresses are never stored. Anonymous
/// visitors' events carry a random id their app made up and are not linkable to anyone, so they are not listed.
/// </remarks>
internal static class AnalyticsPersonalData
{
    public static PersonalDataInventory Inventory { get; } = new(
        Service: "analytics",
        Categories:
        [
            new PersonalDataCategory(
                Name: "usage-events",
                Fields:
                [
                    "pseudonymous id", "page visited", "time of visit", "device type", "browser family",
                    "coarse location (region derived from the IP address, which is not kept)", "language", "time zone",
                    "screen size bucket", "referring page (origin and path)", "exit page (origin and path)",
                ],
                Purpose: "Understanding which parts of the site interest learners, in reports that never show a group smaller than " +
                    "Analytics:Reports:MinimumGroupSize; collected only with analytics consent; deleted after 13 months (Analytics:Retention:UsageEvents).",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "collection-choices",
                Fields: ["pseudonymous id", "analytics consent given or refused, and when", "processing restricted"],
                Purpose: "Honouring consent, its withdrawal, objection and restriction: without a recorded consent, or while restricted, nothing is collected.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
        ],
        OnRestriction: "No usage events are collected for the subject; stored ones are kept but left out of reports until the restriction is lifted.");
}
