using Certometer.Contracts.Privacy;
using Certometer.HolderContract;

namespace Certometer.Identity.PersonalData;

/// <summary>The personal data the Identity service holds, as declared to PrivacyRights at start-up.</summary>
internal static class IdentityPersonalData
{
    public static PersonalDataInventory Inventory { get; } = new(
        Service: "identity",
        Categories:
        [
            new PersonalDataCategory(
                Name: "account",
                Fields: ["email", "username", "password hash", "roles", "new email awaiting confirmation"],
                Purpose: "Signing in and securing the account.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "profile",
                Fields: ["name", "phone", "mailing address", "company", "job role", "team size", "business type"],
                Purpose: "Personalising training and invoices.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "sign-in-history",
                Fields: ["IP address of each sign-in", "sign-in time"],
                Purpose: "Detecting account takeover; deleted after 90 days (Identity:Retention:SignInHistory).",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: "sessions-and-tokens",
                Fields: ["refresh tokens", "authorizations granted to apps"],
                Purpose: "Keeping the subject signed in across apps; spent tokens are deleted after 14 days.",
                OnErasure: ErasureAction.Erase,
                Exported: false),
        ],
        OnRestriction: "Sign-in keeps working; the profile is not used for profiling or shared for marketing while restricted.");
}
