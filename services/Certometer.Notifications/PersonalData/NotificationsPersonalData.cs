using Certometer.Contracts.Privacy;
using Certometer.HolderContract;

namespace Certometer.Notifications.PersonalData;

/// <summary>The personal data the Notifications service holds, as declared to PrivacyRights at start-up.</summary>
internal static class NotificationsPersonalData
{
    public static PersonalDataInventory Inventory { get; } = new(
        Service: "notifications",
        Categories:
        [
            new PersonalDataCategory(
                Name: "contact-details",
                Fields: ["email", "name", "preferred language"],
                Purpose: "Delivering messages in the subject's language.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "message-history",
                Fields: ["recipient address", "subject line and body", "template", "queued and sent times", "delivery status and last error"],
                Purpose: "Delivering with retries, proving delivery, and showing the subject what was sent. The message telling an erased subject that the erasure is complete carries no subject id and loses its address once sent.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "preferences",
                Fields: ["marketing email on or off", "when that choice was made", "restriction of processing", "when the subject objected to marketing"],
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
