using Certometer.Contracts.Privacy;
using Certometer.HolderContract;

namespace Certometer.Catalog.PersonalData;

/// <summary>The personal data the Catalog service holds, as declared to PrivacyRights at start-up.</summary>
internal static class CatalogPersonalData
{
    public const string Enrollments = "enrollments";
    public const string LearningProgress = "learning-progress";
    public const string Certificates = "certificates";
    public const string LearnerName = "learner-name";

    public static PersonalDataInventory Inventory { get; } = new(
        Service: "catalog",
        Categories:
        [
            new PersonalDataCategory(
                Name: Enrollments,
                Fields: ["subject id", "course", "order id", "status (active or refunded)", "enrolled at", "ended at"],
                Purpose: "Giving access to purchased and free courses.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: LearningProgress,
                Fields: ["lessons completed", "exam answers", "exam scores", "passed or failed"],
                Purpose: "Tracking progress towards a certificate.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: Certificates,
                Fields: ["name printed on the certificate", "subject id", "enrollment"],
                Purpose: "Issuing verifiable certificates. On erasure the name and the link to the holder are erased; the code, course and date stay so a code already handed out still checks as issued, to no one named.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
            new PersonalDataCategory(
                Name: LearnerName,
                Fields: ["name", "processing restricted"],
                Purpose: "Printing the learner's name on future certificates (copied from Identity, kept up to date by rectification); recording a restriction of processing.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
        ],
        OnRestriction: "The restriction is recorded and exported. Catalog does no profiling, recommendations or marketing with learning data, so nothing else stops; what the learner asks for (study, exams, certificates) continues.");
}
