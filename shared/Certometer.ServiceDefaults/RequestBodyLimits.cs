using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How large a request body a service reads. Kestrel's default of 30 MB lets any caller, signed in or not, make a
/// service buffer and parse 30 MB per request; no request of ours needs a tenth of the default below, so every
/// endpoint gets it, and the few that take more (a whole course, a batch of page views) say so where they are mapped.
/// A body over the limit is refused with a 413 problem before the endpoint runs, so nothing of it is stored.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>Every endpoint that does not declare its own limit.</summary>
    public const long Default = 64 * 1024;

    /// <summary>Lets <paramref name="builder"/>'s endpoints read bodies of up to <paramref name="bytes"/>, instead of <see cref="Default"/>.</summary>
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return builder.WithMetadata(new RequestBodyLimit(bytes));
    }

    /// <summary>The OpenAPI extension that tells a client each operation's limit, in bytes.</summary>
    public const string OpenApiExtension = "x-max-request-body-bytes";

    /// <summary>Writes each operation's body limit into the OpenAPI document, where frontends and tests read it.</summary>
    internal static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody is not null)
        {
            var limit = context.Description.ActionDescriptor.EndpointMetadata.OfType<IRequestSizeLimitMetadata>().LastOrDefault()?.MaxRequestBodySize ?? Default;
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[OpenApiExtension] = new JsonNodeExtension(JsonValue.Create(limit));
        }

        return Task.CompletedTask;
    }

    /// <summary>The limit endpoint routing applies to the request before the endpoint reads its body.</summary>
    private sealed record RequestBodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
