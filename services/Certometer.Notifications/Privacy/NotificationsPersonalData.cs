using Certometer.Contracts.Privacy;
using Certometer.Privacy;

namespace Certometer.Notifications.Privacy;

/// <summary>The personal data the Notifications service holds, as declared to PrivacyRights at start-up.</summary>
internal static class NotificationsPersonalData
{
    public static PersonalDataInventory Inventory { get; } = new(
        Service: "notifications",
        Categories:
        [
            new PersonalDataCategory(
                Name: "contact-details",
                Fields: ["email", "phone"],
                Purpose: "Delivering messages.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "message-history",
                Fields: ["template", "sent at", "delivery status"],
                Purpose: "Proving delivery and retrying failures.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "preferences",
                Fields: ["channel preferences", "language", "marketing consent"],
                Purpose: "Sending only what the subject wants.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "marketing-suppression",
                Fields: ["keyed hash of the email address"],
                Purpose: "Honouring an objection to direct marketing even after erasure or re-registration.",
                OnErasure: ErasureAction.Retain,
                Exported: false,
                RetentionLegalBasis: "An objection to direct marketing must keep being honoured (GDPR art. 21(3)); only a keyed hash of the address is kept.",
                RetentionMonths: 120),
        ],
        OnRestriction: "No marketing is sent; only messages the subject needs about their account, purchases and privacy requests.");
}
