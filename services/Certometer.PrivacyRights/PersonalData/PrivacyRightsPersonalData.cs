using Certometer.Contracts.Privacy;
using Certometer.HolderContract;

namespace Certometer.PrivacyRights.PersonalData;

/// <summary>The personal data the PrivacyRights service holds, as declared to PrivacyRights at start-up.</summary>
internal static class PrivacyRightsPersonalData
{
    public const string Requests = "privacy-requests";
    public const string ContactAddress = "request-contact-address";
    public const string AccessPackages = "access-packages";
    public const string RequestVerifications = "request-verifications";
    public const string ConsentLedger = "consent-ledger";
    public const string PolicyAcceptances = "policy-acceptances";
    public const string PolicyAcceptancesLegalBasis = "Controllers must be able to demonstrate what the subject was told (GDPR art. 5(2) and 13).";
    public const string RequestsLegalBasis = "Controllers must be able to demonstrate how requests were handled (GDPR art. 5(2) and 12).";
    public const string ConsentLegalBasis = "Controllers must be able to demonstrate consent (GDPR art. 7(1)).";

    public static PersonalDataInventory Inventory { get; } = new(
        Service: "privacy-rights",
        Categories:
        [
            new PersonalDataCategory(
                Name: Requests,
                Fields: ["request kind", "status", "deadlines", "decision and extension reasons", "subject id", "channel", "how staff verified identity"],
                Purpose: "Handling and evidencing data-subject requests.",
                OnErasure: ErasureAction.Pseudonymise,
                Exported: true,
                RetentionLegalBasis: RequestsLegalBasis,
                RetentionMonths: 36),
            new PersonalDataCategory(
                Name: ContactAddress,
                Fields: ["email address given for the request, or the account's address during an erasure"],
                Purpose: "Telling the subject about their request; dropped once they have been told it completed.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: AccessPackages,
                Fields: ["every holder's export part, compiled for download"],
                Purpose: "Giving the subject their copy (access, portability); deleted when the download link expires.",
                OnErasure: ErasureAction.Erase,
                Exported: false),
            new PersonalDataCategory(
                Name: RequestVerifications,
                Fields: ["email address typed for a request made without signing in", "keyed hash of the one-time code", "subject id"],
                Purpose: "Verifying that a request made without signing in comes from the account's owner; forgotten a day after the code expires.",
                OnErasure: ErasureAction.Erase,
                Exported: false),
            new PersonalDataCategory(
                Name: ConsentLedger,
                Fields: ["consent kind", "policy version", "given or withdrawn at"],
                Purpose: "Proving consent was given (GDPR art. 7(1)).",
                OnErasure: ErasureAction.Retain,
                Exported: true,
                RetentionLegalBasis: ConsentLegalBasis,
                RetentionMonths: 36),
            new PersonalDataCategory(
                Name: PolicyAcceptances,
                Fields: ["policy version", "accepted at"],
                Purpose: "Recording acceptance of privacy policy versions.",
                OnErasure: ErasureAction.Retain,
                Exported: true,
                RetentionLegalBasis: PolicyAcceptancesLegalBasis,
                RetentionMonths: 36),
        ],
        OnRestriction: "Requests already made keep being handled; nothing else is processed.");
}
