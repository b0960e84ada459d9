using Certometer.Contracts.Privacy;
using Certometer.Privacy;

namespace Certometer.PrivacyRights.Privacy;

/// <summary>The personal data the PrivacyRights service holds, as declared to PrivacyRights at start-up.</summary>
internal static class PrivacyRightsPersonalData
{
    public static PersonalDataInventory Inventory { get; } = new(
        Service: "privacy-rights",
        Categories:
        [
            new PersonalDataCategory(
                Name: "privacy-requests",
                Fields: ["request kind", "status", "deadlines", "decision and extension reasons", "subject id", "channel", "how staff verified identity"],
                Purpose: "Handling and evidencing data-subject requests.",
                OnErasure: ErasureAction.Retain,
                Exported: true,
                RetentionLegalBasis: "Controllers must be able to demonstrate how requests were handled (GDPR art. 5(2) and 12).",
                RetentionMonths: 36),
            new PersonalDataCategory(
                Name: "request-contact-address",
                Fields: ["email address given for the request"],
                Purpose: "Telling the subject about their request; dropped when it completes.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "request-verifications",
                Fields: ["email address typed for a request made without signing in", "keyed hash of the one-time code", "subject id"],
                Purpose: "Verifying that a request made without signing in comes from the account's owner; forgotten a day after the code expires.",
                OnErasure: ErasureAction.Erase,
                Exported: false),
            new PersonalDataCategory(
                Name: "consent-ledger",
                Fields: ["consent kind", "policy version", "given or withdrawn at"],
                Purpose: "Proving consent was given (GDPR art. 7(1)).",
                OnErasure: ErasureAction.Retain,
                Exported: true,
                RetentionLegalBasis: "Controllers must be able to demonstrate consent (GDPR art. 7(1)).",
                RetentionMonths: 36),
            new PersonalDataCategory(
                Name: "policy-acceptances",
                Fields: ["policy version", "accepted at"],
                Purpose: "Recording acceptance of privacy policy versions.",
                OnErasure: ErasureAction.Retain,
                Exported: true,
                RetentionLegalBasis: "Controllers must be able to demonstrate what the subject was told (GDPR art. 5(2) and 13).",
                RetentionMonths: 36),
        ],
        OnRestriction: "Requests already made keep being handled; nothing else is processed.");
}
