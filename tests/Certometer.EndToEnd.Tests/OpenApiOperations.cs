using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace Certometer.EndToEnd.Tests;

/// <summary>One operation of a service's OpenAPI document, with the document it came from (for its <c>$ref</c>s).</summary>
public sealed partial record OpenApiOperation(string Service, string Method, string Path, JsonElement Operation, JsonElement Document)
{
    public override string ToString() => $"{Service} {Method} {Path}";

    /// <summary>The JSON schema of the request body, its <c>$ref</c> resolved; null when the operation takes no JSON body.</summary>
    public JsonElement? BodySchema =>
        Operation.TryGetProperty("requestBody", out var body) &&
        body.GetProperty("content").TryGetProperty("application/json", out var json) &&
        json.TryGetProperty("schema", out var schema)
            ? Resolve(schema)
            : null;

    /// <summary>The operation's query parameters by name.</summary>
    public IEnumerable<string> QueryParameters => Operation.TryGetProperty("parameters", out var parameters)
        ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!)
        : [];

    /// <summary>Follows a <c>$ref</c> to <c>#/components/schemas/...</c>; any other schema is returned as it is.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var name = reference.GetString()!.Split('/')[^1];
        return Resolve(Document.GetProperty("components").GetProperty("schemas").GetProperty(name));
    }

    /// <summary>A <c>{name}</c> in a path template.</summary>
    [GeneratedRegex(@"\{[^}]+\}")]
    public static partial Regex RouteParameter();

    /// <summary>Every operation of every service's document, as the running stack serves them.</summary>
    public static async Task<IReadOnlyList<OpenApiOperation>> AllAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var operations = new List<OpenApiOperation>();
        foreach (var service in StackFixture.Services)
        {
            using var http = app.CreateHttpClient(service);
            var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json", cancellationToken)).RootElement.Clone();
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                operations.AddRange(path.Value.EnumerateObject()
                    .Where(operation => operation.Name is not ("parameters" or "summary" or "description"))
                    .Select(operation => new OpenApiOperation(service, operation.Name.ToUpperInvariant(), path.Name, operation.Value, document)));
            }
        }

        return operations;
    }
}
