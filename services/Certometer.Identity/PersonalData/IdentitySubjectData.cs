using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.Identity.Accounts;
using Certometer.Identity.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.PersonalData;

/// <summary>What Identity does with a subject's account, profile, sign-in history and tokens for each right.</summary>
internal sealed class IdentitySubjectData(IdentityDbContext db) : ISubjectDataExporter, ISubjectDataEraser, IProcessingRestriction
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public async Task<SubjectDataExport> ExportAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var account = await db.Users.AsNoTracking().SingleOrDefaultAsync(a => a.Id == subjectId, cancellationToken);
        if (account is null)
        {
            return new SubjectDataExport("{}", 0);
        }

        var roles = await (from link in db.UserRoles
                           join role in db.Roles on link.RoleId equals role.Id
                           where link.UserId == subjectId
                           select role.Name).ToListAsync(cancellationToken);
        var signIns = await db.SignIns.AsNoTracking()
            .Where(s => s.AccountId == subjectId)
            .OrderBy(s => s.At)
            .Select(s => new { s.At, s.Succeeded, s.IpAddress })
            .ToListAsync(cancellationToken);

        // The password hash and security stamps are deliberately absent: they are secrets, not information about the person.
        var part = new
        {
            account = new
            {
                subjectId = account.Id,
                account.Email,
                account.EmailConfirmed,
                account.PendingEmail,
                roles,
                account.CreatedAt,
                account.ProcessingRestricted,
            },
            profile = new
            {
                account.Name,
                phone = account.PhoneNumber,
                account.MailingAddress,
                account.Company,
                account.JobRole,
                account.TeamSize,
                account.BusinessType,
                account.PreferredLanguage,
            },
            signInHistory = signIns,
        };
        return new SubjectDataExport(JsonSerializer.Serialize(part, Json), 1 + signIns.Count);
    }

    public async Task<IReadOnlyList<ErasureReceiptLine>> EraseAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var signIns = await db.SignIns.Where(s => s.AccountId == subjectId).ExecuteDeleteAsync(cancellationToken);
        var tokens = await AccountTokens.DeleteAsync(db, subjectId, cancellationToken);
        var account = await db.Users.SingleOrDefaultAsync(a => a.Id == subjectId, cancellationToken);
        if (account is not null)
        {
            // Roles, claims and logins go with the account (cascade); the profile lives on the same row.
            db.Users.Remove(account);
        }

        var accounts = account is null ? 0 : 1;
        return
        [
            new ErasureReceiptLine("account", ErasureAction.Erase, accounts),
            new ErasureReceiptLine("profile", ErasureAction.Erase, accounts),
            new ErasureReceiptLine("sign-in-history", ErasureAction.Erase, signIns),
            new ErasureReceiptLine("sessions-and-tokens", ErasureAction.Erase, tokens),
        ];
    }

    public Task RestrictAsync(Guid subjectId, CancellationToken cancellationToken) => SetRestrictedAsync(subjectId, true, cancellationToken);

    public Task LiftAsync(Guid subjectId, CancellationToken cancellationToken) => SetRestrictedAsync(subjectId, false, cancellationToken);

    private async Task SetRestrictedAsync(Guid subjectId, bool restricted, CancellationToken cancellationToken)
    {
        var account = await db.Users.SingleOrDefaultAsync(a => a.Id == subjectId, cancellationToken);
        if (account is not null)
        {
            account.ProcessingRestricted = restricted;
        }
    }
}
