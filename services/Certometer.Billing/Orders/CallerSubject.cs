using System.Security.Claims;

namespace Certometer.Billing.Orders;

/// <summary>The person calling, from the token's <c>sub</c> claim: the only way a subject enters Billing's API.</summary>
internal static class CallerSubject
{
    public static bool TryGet(ClaimsPrincipal user, out Guid subjectId) =>
        Guid.TryParse(user.FindFirstValue("sub"), out subjectId) && subjectId != Guid.Empty;
}
