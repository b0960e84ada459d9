using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Certometer.Catalog.Http;

/// <summary>
/// A 200 JSON response with a strong ETag computed from its exact bytes, answered with 304 when the client already has
/// them, so the busiest anonymous reads cost a client (or a shared cache) nothing to revalidate.
/// </summary>
public sealed class CacheableJson<T>(T value, CacheControlHeaderValue cacheControl)
    : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>
{
    public T Value { get; } = value;

    object? IValueHttpResult.Value => Value;

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var json = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = JsonSerializer.SerializeToUtf8Bytes(Value, json);
        // The hash of the representation itself: equal bytes, equal tag, on any instance, with nothing to keep in sync.
        var tag = new EntityTagHeaderValue($"\"{Base64UrlEncoded(SHA256.HashData(body).AsSpan(0, 16))}\"");

        var response = httpContext.Response;
        var headers = response.GetTypedHeaders();
        headers.ETag = tag;
        headers.CacheControl = cacheControl;

        // If-None-Match uses the weak comparison (RFC 9110 13.1.2), so a tag a proxy weakened still matches.
        var known = httpContext.Request.GetTypedHeaders().IfNoneMatch;
        if (known.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(tag, useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "IEndpointMetadataProvider is a static abstract interface member; it must live here.")]
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
    }

    private static string Base64UrlEncoded(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}

/// <summary>The cache policies of Catalog's public reads.</summary>
internal static class PublicCaching
{
    /// <summary>Catalogue pages: any cache may keep them briefly; a publish or edit shows within a minute.</summary>
    public static CacheControlHeaderValue Catalogue => new() { Public = true, MaxAge = TimeSpan.FromSeconds(60) };

    /// <summary>Certificate checks: cacheable but always revalidated, so an erased holder's name never lingers in a cache.</summary>
    public static CacheControlHeaderValue Revalidated => new() { Public = true, NoCache = true };

    public static CacheableJson<T> Json<T>(T value, CacheControlHeaderValue cacheControl) => new(value, cacheControl);
}
