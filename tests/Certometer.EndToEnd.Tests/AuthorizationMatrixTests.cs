using System.Net.Http.Headers;
using System.Text;
using Aspire.Hosting.Testing;

namespace Certometer.EndToEnd.Tests;

public sealed class AuthorizationMatrixTests(StackFixture stack)
{
    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Every_endpoint_answers_each_kind_of_caller_as_the_matrix_says()
    {
        var callers = await stack.CallersAsync(TestContext.Current.CancellationToken);
        var mismatches = new List<string>();
        foreach (var row in AuthorizationMatrix.Rows)
        {
            foreach (var (caller, expected) in row.Expected)
            {
                var actual = await CallAsync(row, callers[caller]?[row.Service]);
                if (actual != expected)
                {
                    mismatches.Add($"{row} as {caller}: expected {expected}, got {actual}");
                }
            }
        }

        mismatches.ShouldBeEmpty();
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Every_API_endpoint_a_service_exposes_is_in_the_matrix_and_every_matrix_API_row_exists()
    {
        var exposed = (await OpenApiOperation.AllAsync(stack.App, TestContext.Current.CancellationToken))
            .Select(operation => operation.ToString()).ToHashSet(StringComparer.Ordinal);

        var listed = AuthorizationMatrix.Rows.Where(row => row.Path.StartsWith("/api/", StringComparison.Ordinal))
            .Select(row => row.ToString()).ToHashSet(StringComparer.Ordinal);
        exposed.Except(listed).ShouldBeEmpty("endpoints missing from AuthorizationMatrix.csv");
        listed.Except(exposed).ShouldBeEmpty("matrix rows for endpoints that no longer exist");
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Every_protected_endpoint_refuses_expired_misaddressed_foreign_unsigned_and_ID_tokens()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var forged = await ForgedTokens.LoadAsync(stack.App.IdentityUri(), cancellationToken);
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var idToken = (await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken)).IdToken!;
        var failures = new List<string>();

        foreach (var row in AuthorizationMatrix.Rows.Where(row => row.IsProtected))
        {
            var (scope, audience) = StackFixture.Apis[row.Service];
            // Each case below differs from an acceptable token in one property only; the role is one the matrix lets in.
            var role = row.Expected[Caller.ComplianceOfficer] is not (401 or 403) ? "compliance-officer" : "learner";
            var otherApi = StackFixture.Apis.Values.First(api => api.Audience != audience);
            var otherApiToken = await stack.App.ServiceTokenAsync(otherApi.Scope, cancellationToken);
            var badTokens = new Dictionary<string, string>
            {
                ["expired"] = forged.Expired(audience, scope, role),
                ["for another API's audience"] = forged.Valid(otherApi.Audience, scope, role),
                ["issued by Identity for another API"] = otherApiToken,
                ["from another issuer"] = forged.FromAnotherIssuer(audience, scope, role),
                ["an ID token"] = idToken,
                ["unsigned (alg none)"] = forged.WithoutSignature(audience, scope, role),
                ["signed with an unknown key"] = forged.SignedWithUnknownKey(audience, scope, role),
            };

            foreach (var (description, token) in badTokens)
            {
                var status = await CallAsync(row, token);
                if (status != 401)
                {
                    failures.Add($"{row} with a token {description}: {status}, not 401");
                }
            }

            // The control: the same forgery with nothing wrong is accepted, so the refusals above are about the one flaw.
            var control = await CallAsync(row, forged.Valid(audience, scope, role));
            if (control is 401)
            {
                failures.Add($"{row} refused a correctly signed, unexpired token for its own audience (the control case)");
            }
        }

        failures.ShouldBeEmpty();
    }

    private async Task<int> CallAsync(MatrixRow row, string? token)
    {
        using var http = stack.App.CreateHttpClient(row.Service);
        using var request = new HttpRequestMessage(row.Method, row.Path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (row.Body is not null)
        {
            request.Content = new StringContent(row.Body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return (int)response.StatusCode;
    }
}
