using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;

namespace Certometer.Billing.PersonalData;

/// <summary>How Billing pseudonymises what it must keep after an erasure (section <c>Billing:ErasedBuyers</c>).</summary>
public sealed class ErasedBuyerOptions
{
    public const string SectionName = "Billing:ErasedBuyers";

    /// <summary>
    /// The key of the pseudonyms on kept invoices. Secret, so a pseudonym cannot be recomputed from a subject id by
    /// anyone holding only the database; stable, so a tax auditor sees which invoices belonged to one buyer.
    /// </summary>
    [Required(ErrorMessage = "Billing:ErasedBuyers:PseudonymKey is required: the secret key for pseudonyms on invoices kept after an erasure.")]
    [MinLength(32, ErrorMessage = "Billing:ErasedBuyers:PseudonymKey must be at least 32 characters.")]
    public string? PseudonymKey { get; set; }

    /// <summary>How often Billing looks for charges that settled after their buyer was erased, to refund them.</summary>
    public TimeSpan ErasedBuyerRefundInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The subject's stable pseudonym, as a GUID so it fits where the subject id was.</summary>
    public Guid PseudonymOf(Guid subjectId) =>
        new(HMACSHA256.HashData(Encoding.UTF8.GetBytes(PseudonymKey!), subjectId.ToByteArray()).AsSpan(0, 16));
}
