using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Certometer.HolderContract.Answers;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Certometer.HolderContract.Sealing;

/// <summary>Where PrivacyRights' key store answers (section <c>PersonalData:SubjectKeys</c>).</summary>
public sealed class SubjectKeyringOptions
{
    public const string SectionName = "PersonalData:SubjectKeys";

    /// <summary>PrivacyRights' base address, e.g. <c>http://privacy-rights</c> through service discovery.</summary>
    [Required(ErrorMessage = "PersonalData:SubjectKeys:Address is required: PrivacyRights' address, where this service gets the keys that seal and open personal values in events. The AppHost sets it.")]
    public Uri? Address { get; set; }

    /// <summary>
    /// How long a fetched key is reused before asking again. Also how long, at most, this service can still open values
    /// of a subject after their key is destroyed; a destroyed key is remembered as destroyed for good.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The subject keys of PrivacyRights' key store, asked for over HTTP in this holder's name and signed with its key.</summary>
public sealed class RemoteSubjectKeyring(
    IHttpClientFactory httpClients,
    IOptions<SubjectKeyringOptions> options,
    IOptions<HolderAnswerSigningOptions> signing,
    PersonalDataInventory inventory,
    TimeProvider clock) : ISubjectKeyring, IDisposable
{
    public const string HttpClientName = "subject-keys";

    private static readonly byte[] Destroyed = [];
    // Read here, so a missing address stops the service at start-up (the outbox dispatcher needs this keyring) rather
    // than at its first event.
    private readonly SubjectKeyringOptions _options = options.Value;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly ECDsa _key = Certometer.HolderContract.EnvelopeSignature.LoadKey(signing.Value.AnswerSigningKey!, isPrivate: true);

    public ValueTask<byte[]?> GetOrCreateAsync(Guid subjectId, CancellationToken cancellationToken) =>
        FetchAsync(HttpMethod.Put, subjectId, cancellationToken);

    public ValueTask<byte[]?> FindAsync(Guid subjectId, CancellationToken cancellationToken) =>
        FetchAsync(HttpMethod.Get, subjectId, cancellationToken);

    private async ValueTask<byte[]?> FetchAsync(HttpMethod method, Guid subjectId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(subjectId, out byte[]? cached))
        {
            return ReferenceEquals(cached, Destroyed) ? null : cached;
        }

        using var request = new HttpRequestMessage(method, new Uri(_options.Address!, $"/api/privacy/subject-keys/{subjectId}"));
        SignedServiceRequests.Sign(request, inventory.Service, _key, clock.GetUtcNow());
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Gone:
                // Destroyed keys never come back: remember that for as long as the cache has room.
                _cache.Set(subjectId, Destroyed, new MemoryCacheEntryOptions { Size = 1 });
                return null;
            case HttpStatusCode.NotFound:
                return null;
            default:
                // Anything else (a refused signature, PrivacyRights down) is an outage, not an answer: the caller retries.
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadFromJsonAsync<SubjectKeyResponse>(cancellationToken)
                    ?? throw new HttpRequestException("PrivacyRights answered a subject key request with an empty body.");
                var key = Convert.FromBase64String(body.Key);
                _cache.Set(subjectId, key, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _options.CacheDuration });
                return key;
        }
    }

    public void Dispose()
    {
        _cache.Dispose();
        _key.Dispose();
    }
}

/// <summary>A subject's sealing key, base64, as PrivacyRights' key store returns it.</summary>
public sealed record SubjectKeyResponse(string Key);
