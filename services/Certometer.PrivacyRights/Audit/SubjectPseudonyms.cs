using System.Security.Cryptography;
using System.Text;
using Certometer.PrivacyRights.Requests;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Audit;

/// <summary>Turns a subject id into the keyed pseudonym the audit log and consent ledger store instead of it.</summary>
/// <remarks>
/// Keyed, so nobody holding only the database can recompute a pseudonym from a known subject id; stable, so
/// erasing the subject elsewhere never breaks the audit chain or the proof of consent.
/// </remarks>
public sealed class SubjectPseudonyms(IOptions<PrivacyRightsOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.AuditKey);

    public string Of(Guid subjectId) => Of(subjectId.ToString("D"));

    public string Of(string subject) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(subject)));
}
