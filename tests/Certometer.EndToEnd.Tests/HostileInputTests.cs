using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;

namespace Certometer.EndToEnd.Tests;

/// <summary>
/// Requests derived from every service's OpenAPI document, each parameter and body field in turn at its extremes and
/// with hostile strings, sent by a caller the endpoint lets in: nothing a client can send may get a 5xx, and every
/// refusal must be a problem document a client can read.
/// </summary>
public sealed class HostileInputTests(StackFixture stack)
{
    // Strings: empty, NUL, an unpaired surrogate, control and bidi characters, a very long one, SQL and path tricks, markup.
    private static readonly JsonNode?[] HostileValues =
    [
        "", "\u0000", "a\u0000b", "\ud800", "\udfff x", "\u001b[31m", "\u202eevil", new string('a', 10_000), "' OR 1=1 --",
        "../../../../etc/passwd", "<script>alert(1)</script>", "%00", "null",
        0, -1, 2147483648L, long.MaxValue, -9.9e307, 1e308, 0.5, true, null,
        new JsonArray(), new JsonObject(), "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "not-a-date",
    ];

    // What can go in a URL: the same ideas, percent-encoded where they must be (%ED%A0%80 is an unpaired surrogate's bytes).
    private static readonly string[] HostileUrlValues =
    [
        "", "%00", "a%00b", "%ED%A0%80", "%FF", "-1", "0", "2147483648", "99999999999999999999999", "1e308", "NaN",
        new string('a', 4000), "%27%20OR%201%3D1%20--", "..%2F..%2Fetc%2Fpasswd", "%3Cscript%3E", "%20",
    ];

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task No_hostile_parameter_or_body_field_from_the_OpenAPI_documents_gets_a_5xx_and_every_refusal_is_problem_details()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var callers = await FreshCallersAsync(cancellationToken);
        var failures = new List<string>();
        var sent = 0;

        foreach (var operation in (await OpenApiOperation.AllAsync(stack.App, cancellationToken)).Where(operation => !ChangesWhatOtherTestsSee(operation)))
        {
            var row = AuthorizationMatrix.Rows.Single(row => row.Service == operation.Service && row.Method.Method == operation.Method && row.Path == operation.Path);
            var caller = row.Expected.OrderBy(expected => expected.Key == Caller.Anonymous ? 1 : 0)
                .First(expected => expected.Value is not (401 or 403)).Key;
            var token = callers[caller]?[operation.Service];

            foreach (var (description, path, query, body, mediaType) in Variants(operation))
            {
                using var http = stack.App.CreateHttpClient(operation.Service);
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path + query);
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                }

                using var response = await http.SendAsync(request, cancellationToken);
                sent++;
                var status = (int)response.StatusCode;
                var contentType = response.Content.Headers.ContentType?.MediaType;
                if (status >= 500)
                {
                    failures.Add($"{operation} as {caller}, {description}: {status} {Shorten(await response.Content.ReadAsStringAsync(cancellationToken))}");
                }
                else if (status >= 400 && contentType != "application/problem+json" && !IsProtocolEndpoint(operation) && !RefusedByKestrel(description, status))
                {
                    failures.Add($"{operation} as {caller}, {description}: {status} with {contentType ?? "no body"}, not problem details");
                }
            }
        }

        failures.ShouldBeEmpty($"{failures.Count} of {sent} requests");
        sent.ShouldBeGreaterThan(1000);
    }

    /// <summary>Every hostile request for <paramref name="operation"/>: one parameter or one field hostile, the rest plausible.</summary>
    private static IEnumerable<(string Description, string Path, string Query, string? Body, string MediaType)> Variants(OpenApiOperation operation)
    {
        var plainPath = OpenApiOperation.RouteParameter().Replace(operation.Path, _ => Guid.NewGuid().ToString());
        var baseBody = operation.BodySchema is { } schema ? PlausibleObject(operation, schema) : null;
        var body = baseBody?.ToJsonString();

        foreach (Match parameter in OpenApiOperation.RouteParameter().Matches(operation.Path))
        {
            foreach (var value in HostileUrlValues.Where(value => value.Length > 0))
            {
                var path = operation.Path.Replace(parameter.Value, value, StringComparison.Ordinal);
                yield return ($"path {parameter.Value} = {Shorten(value)}", OpenApiOperation.RouteParameter().Replace(path, _ => Guid.NewGuid().ToString()), "", body, "application/json");
            }
        }

        foreach (var name in operation.QueryParameters)
        {
            foreach (var value in HostileUrlValues)
            {
                yield return ($"query {name} = {Shorten(value)}", plainPath, $"?{name}={value}", body, "application/json");
            }
        }

        if (baseBody is null)
        {
            yield break;
        }

        foreach (var field in baseBody.Select(property => property.Key).ToList())
        {
            foreach (var value in HostileValues)
            {
                var hostile = baseBody.DeepClone().AsObject();
                hostile[field] = value?.DeepClone();
                yield return ($"body {field} = {Shorten(value?.ToJsonString() ?? "null")}", plainPath, "", hostile.ToJsonString(), "application/json");
            }
        }

        yield return ("an empty body", plainPath, "", "", "application/json");
        yield return ("the JSON literal null", plainPath, "", "null", "application/json");
        yield return ("an array", plainPath, "", "[]", "application/json");
        yield return ("truncated JSON", plainPath, "", "{\"", "application/json");
        yield return ("JSON nested 1,000 deep", plainPath, "", new string('[', 1000) + new string(']', 1000), "application/json");
        yield return ("a plain-text body", plainPath, "", "hello", "text/plain");
        yield return ("a form body", plainPath, "", "a=b", "application/x-www-form-urlencoded");
    }

    /// <summary>An object with every declared property at a plausible value for its type, so one hostile field is the only fault.</summary>
    private static JsonObject PlausibleObject(OpenApiOperation operation, JsonElement schema)
    {
        var result = new JsonObject();
        if (!schema.TryGetProperty("properties", out var properties))
        {
            return result;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var resolved = operation.Resolve(property.Value);
            result[property.Name] = TypeOf(resolved) switch
            {
                "integer" => 1,
                "number" => 1.5,
                "boolean" => true,
                "array" => new JsonArray(),
                "object" => new JsonObject(),
                _ when resolved.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0 => values[0].GetString(),
                _ when resolved.TryGetProperty("format", out var format) && format.GetString() == "uuid" => Guid.NewGuid().ToString(),
                _ when resolved.TryGetProperty("format", out var format) && format.GetString() == "date-time" => DateTimeOffset.UtcNow.ToString("O"),
                _ => "plausible",
            };
        }

        return result;
    }

    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        // OpenAPI 3.1 writes a nullable type as ["string", "null"].
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : type.GetString();
    }

    /// <summary>
    /// The learner and the staff signed in afresh (this test changes their profiles at random), and the shared service client.
    /// </summary>
    private async Task<IReadOnlyDictionary<Caller, ApiTokens?>> FreshCallersAsync(CancellationToken cancellationToken)
    {
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var shared = await stack.CallersAsync(cancellationToken);
        return new Dictionary<Caller, ApiTokens?>
        {
            [Caller.Anonymous] = null,
            [Caller.Learner] = await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken),
            [Caller.ComplianceOfficer] = shared[Caller.ComplianceOfficer],
            [Caller.Operator] = shared[Caller.Operator],
            [Caller.Service] = shared[Caller.Service],
        };
    }

    // Publishing a policy version with plausible values succeeds, and the current policy is stack-wide state that the
    // authorization matrix checks (no policy published: 404); its validation has its own tests in PrivacyRights' suite.
    private static bool ChangesWhatOtherTestsSee(OpenApiOperation operation) =>
        operation is { Service: "privacy-rights", Method: "POST", Path: "/api/privacy/policies" };

    // Kestrel refuses a request whose path decodes to a NUL with a bare 400 before any service code runs: the request is
    // refused and nothing reaches an endpoint, but there is no pipeline left to write a problem document.
    private static bool RefusedByKestrel(string description, int status) =>
        status == 400 && description.StartsWith("path ", StringComparison.Ordinal) && description.Contains("%00", StringComparison.Ordinal);

    // OAuth's own endpoints answer errors in OAuth's format (RFC 6749 section 5.2), which clients of them expect.
    private static bool IsProtocolEndpoint(OpenApiOperation operation) => operation.Path.StartsWith("/connect/", StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + $"... ({text.Length} characters)";
}
