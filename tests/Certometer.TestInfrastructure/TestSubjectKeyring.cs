using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Certometer.HolderContract.Sealing;

namespace Certometer.TestInfrastructure;

/// <summary>
/// The key store a service under test seals and opens with when PrivacyRights is not running: the same contract as
/// PrivacyRights' store (made on first use, gone for good once destroyed), kept in memory for the test process.
/// </summary>
public sealed class TestSubjectKeyring : ISubjectKeyring
{
    private readonly ConcurrentDictionary<Guid, byte[]?> _keys = new();

    /// <summary>The one instance every test host of the process shares, as every service shares PrivacyRights' store.</summary>
    public static TestSubjectKeyring Shared { get; } = new();

    public ValueTask<byte[]?> GetOrCreateAsync(Guid subjectId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_keys.GetOrAdd(subjectId, _ => RandomNumberGenerator.GetBytes(32)));

    public ValueTask<byte[]?> FindAsync(Guid subjectId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_keys.TryGetValue(subjectId, out var key) ? key : null);

    /// <summary>What PrivacyRights does when the subject's erasure completes.</summary>
    public void Destroy(Guid subjectId) => _keys[subjectId] = null;

    /// <summary>A copy of <paramref name="message"/> with its personal values opened, as a consumer's pipeline reads it.</summary>
    public async Task<TMessage> OpenAsync<TMessage>(TMessage message)
        where TMessage : class
    {
        var (json, shape) = Describe(message);
        if (!await SealedValues.OpenWithAsync(this, json, shape, CancellationToken.None))
        {
            throw new InvalidOperationException("The subject has no key.");
        }

        return (TMessage)SealedValues.FromJson(json, typeof(TMessage));
    }

    /// <summary>A copy of <paramref name="message"/> with its personal values sealed, as its publisher's outbox would send it.</summary>
    public async Task<TMessage> SealAsync<TMessage>(TMessage message)
        where TMessage : class
    {
        var (json, shape) = Describe(message);
        if (!await SealedValues.SealWithAsync(this, json, shape, CancellationToken.None))
        {
            throw new InvalidOperationException("The subject's key is destroyed.");
        }

        return (TMessage)SealedValues.FromJson(json, typeof(TMessage));
    }

    private static (JsonObject Json, EventShape Shape) Describe<TMessage>(TMessage message)
        where TMessage : class =>
        (SealedValues.ToJson(message),
            SealedValues.ShapeOf(typeof(TMessage)) ?? throw new ArgumentException($"{typeof(TMessage).Name} has no personal values.", nameof(message)));
}
