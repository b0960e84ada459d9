using System.Web;

namespace Certometer.TestInfrastructure;

/// <summary>The account and one-use token an Identity confirmation link carries, as the confirmation API takes them.</summary>
public sealed record ConfirmationLink(Guid SubjectId, string Token)
{
    public static ConfirmationLink Parse(string link)
    {
        var query = HttpUtility.ParseQueryString(new Uri(link).Query);
        return new ConfirmationLink(Guid.Parse(query["account"]!), query["token"]!);
    }

    /// <summary>The body of <c>POST /api/accounts/email-confirmations</c>.</summary>
    public object Body => new { subjectId = SubjectId, token = Token };
}
