using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aspire.Hosting.Testing;

namespace Certometer.EndToEnd.Tests;

public sealed class RequestBodyLimitTests(StackFixture stack)
{
    private const string LimitExtension = "x-max-request-body-bytes";

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Every_operation_with_a_body_declares_its_limit_and_refuses_a_body_one_byte_over_it_with_a_413_problem()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var callers = await stack.CallersAsync(cancellationToken);
        var failures = new List<string>();
        var checkedOperations = 0;

        foreach (var (service, method, path, limit) in await OperationsWithBodiesAsync(cancellationToken))
        {
            if (limit is null)
            {
                failures.Add($"{service} {method} {path} declares no {LimitExtension}");
                continue;
            }

            // A caller the endpoint lets in, so the refusal is about the body and not about who sent it.
            var row = AuthorizationMatrix.Rows.Single(row => row.Service == service && row.Method.Method == method && row.Path == path);
            var caller = row.Expected.First(expected => expected.Value is not (401 or 403)).Key;
            var token = callers[caller]?[service];

            var over = await SendAsync(service, method, path, token, BodyOfBytes(limit.Value + 1), cancellationToken);
            if (over.Status != HttpStatusCode.RequestEntityTooLarge || over.MediaType != "application/problem+json")
            {
                failures.Add($"{service} {method} {path} as {caller}, {limit + 1} bytes: {(int)over.Status} {over.MediaType}, not a 413 problem");
            }

            // The control: a small body is read, so the 413 above is the limit and not a refusal of any body.
            var small = await SendAsync(service, method, path, token, BodyOfBytes(1024), cancellationToken);
            if (small.Status is HttpStatusCode.RequestEntityTooLarge or >= HttpStatusCode.InternalServerError)
            {
                failures.Add($"{service} {method} {path} as {caller}, 1 KiB: {(int)small.Status}");
            }

            checkedOperations++;
        }

        failures.ShouldBeEmpty();
        checkedOperations.ShouldBeGreaterThan(20, "every service's write endpoints were found in the OpenAPI documents");
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Endpoints_take_the_small_default_unless_they_need_more_and_none_takes_the_framework_s_30_megabytes()
    {
        var limits = (await OperationsWithBodiesAsync(TestContext.Current.CancellationToken))
            .ToDictionary(operation => $"{operation.Service} {operation.Method} {operation.Path}", operation => operation.Limit);

        limits.Values.ShouldAllBe(limit => limit <= 4 * 1024 * 1024);
        limits.Where(limit => limit.Value > 64 * 1024).Select(limit => limit.Key).Order().ShouldBe(
        [
            "analytics POST /api/analytics/events/batch",
            "catalog POST /api/catalog/admin/courses",
            "catalog PUT /api/catalog/admin/courses/{id}",
        ]);
    }

    private async Task<List<(string Service, string Method, string Path, long? Limit)>> OperationsWithBodiesAsync(CancellationToken cancellationToken) =>
    [
        .. (await OpenApiOperation.AllAsync(stack.App, cancellationToken))
            .Where(operation => operation.Operation.TryGetProperty("requestBody", out _))
            .Select(operation => (operation.Service, operation.Method, operation.Path,
                operation.Operation.TryGetProperty(LimitExtension, out var declared) ? declared.GetInt64() : (long?)null)),
    ];

    private async Task<(HttpStatusCode Status, string? MediaType)> SendAsync(
        string service, string method, string path, string? token, byte[] body, CancellationToken cancellationToken)
    {
        using var http = stack.App.CreateHttpClient(service);
        using var request = new HttpRequestMessage(new HttpMethod(method), OpenApiOperation.RouteParameter().Replace(path, Guid.NewGuid().ToString()));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A JSON object of exactly <paramref name="bytes"/> bytes: one string property of ASCII padding.</summary>
    private static byte[] BodyOfBytes(long bytes)
    {
        const string prefix = "{\"padding\":\"";
        const string suffix = "\"}";
        return Encoding.ASCII.GetBytes(prefix + new string('a', checked((int)bytes) - prefix.Length - suffix.Length) + suffix);
    }
}
