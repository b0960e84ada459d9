using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Certometer.Contracts;

namespace Certometer.HolderContract.Sealing;

/// <summary>
/// Seals and opens an event's <see cref="PersonalValueAttribute"/> properties in its JSON: each string becomes
/// <c>sealed:v1:</c> and AES-256-GCM ciphertext under the subject's key, bound to the subject and the property so that
/// no sealed value can be moved to another person or another field.
/// </summary>
public static class SealedValues
{
    public const string Prefix = "sealed:v1:";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly ConcurrentDictionary<Type, EventShape?> Shapes = new();

    /// <summary>Where an event type keeps its subject and its personal values; null when it has none to seal.</summary>
    public static EventShape? ShapeOf(Type eventType) => Shapes.GetOrAdd(eventType, Describe);

    /// <summary>Seals every plain personal value in <paramref name="payload"/>; returns how many it sealed.</summary>
    public static int Seal(JsonObject payload, EventShape shape, Guid subjectId, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(shape);
        var sealedCount = 0;
        foreach (var (field, value, replace) in Values(payload, shape))
        {
            if (!value.StartsWith(Prefix, StringComparison.Ordinal))
            {
                replace(SealOne(value, key, subjectId, field));
                sealedCount++;
            }
        }

        return sealedCount;
    }

    /// <summary>Whether any personal value in <paramref name="payload"/> is still plain, and so needs the subject's key.</summary>
    public static bool HasPlain(JsonObject payload, EventShape shape) =>
        Values(payload, shape).Any(value => !value.Value.StartsWith(Prefix, StringComparison.Ordinal));

    /// <summary>Whether any personal value in <paramref name="payload"/> is sealed.</summary>
    public static bool HasSealed(JsonObject payload, EventShape shape) =>
        Values(payload, shape).Any(value => value.Value.StartsWith(Prefix, StringComparison.Ordinal));

    /// <summary>Opens every sealed value in <paramref name="payload"/>; throws <see cref="CryptographicException"/> on a forged or moved one.</summary>
    public static void Open(JsonObject payload, EventShape shape, Guid subjectId, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var (field, value, replace) in Values(payload, shape).ToList())
        {
            if (value.StartsWith(Prefix, StringComparison.Ordinal))
            {
                replace(OpenOne(value, key, subjectId, field));
            }
        }
    }

    /// <summary>
    /// Seals the plain personal values in <paramref name="payload"/> under the subject's key from <paramref name="keyring"/>,
    /// made if need be. Returns false, sealing nothing, when that key is destroyed; asks for no key when nothing is plain.
    /// </summary>
    public static async ValueTask<bool> SealWithAsync(ISubjectKeyring keyring, JsonObject payload, EventShape shape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyring);
        if (!HasPlain(payload, shape))
        {
            return true;
        }

        var subjectId = SubjectOf(payload, shape)
            ?? throw new InvalidOperationException("An event with personal values names no subject to seal them for.");
        if (await keyring.GetOrCreateAsync(subjectId, cancellationToken) is not { } key)
        {
            return false;
        }

        Seal(payload, shape, subjectId, key);
        return true;
    }

    /// <summary>
    /// Opens the sealed values in <paramref name="payload"/> under the subject's key from <paramref name="keyring"/>.
    /// Returns false, opening nothing, when the payload holds sealed values and that key is gone or was never made.
    /// </summary>
    public static async ValueTask<bool> OpenWithAsync(ISubjectKeyring keyring, JsonObject payload, EventShape shape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyring);
        if (!HasSealed(payload, shape))
        {
            return true;
        }

        if (SubjectOf(payload, shape) is not { } subjectId || await keyring.FindAsync(subjectId, cancellationToken) is not { } key)
        {
            return false;
        }

        Open(payload, shape, subjectId, key);
        return true;
    }

    /// <summary>The subject the payload is about, or null when it names none.</summary>
    public static Guid? SubjectOf(JsonObject payload, EventShape shape)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(shape);
        return payload[shape.SubjectProperty] is JsonValue value && value.TryGetValue<string>(out var text) && Guid.TryParse(text, out var id)
            ? id
            : null;
    }

    public static JsonObject ToJson(object message) =>
        JsonSerializer.SerializeToNode(message, message.GetType(), Json) as JsonObject
            ?? throw new JsonException("An integration event must serialise to a JSON object.");

    public static object FromJson(JsonObject payload, Type eventType) =>
        payload.Deserialize(eventType, Json) ?? throw new JsonException("The payload is the JSON literal null.");

    internal static string SealOne(string plain, byte[] key, Guid subjectId, string field) =>
        Prefix + Convert.ToBase64String(SealedBox.Seal(key, Encoding.UTF8.GetBytes(plain), Binding(subjectId, field)));

    internal static string OpenOne(string sealedValue, byte[] key, Guid subjectId, string field)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(sealedValue[Prefix.Length..]);
        }
        catch (FormatException)
        {
            throw new CryptographicException($"The sealed value of '{field}' is not base64.");
        }

        return Encoding.UTF8.GetString(SealedBox.Open(key, sealedBytes, Binding(subjectId, field)));
    }

    // Associated data: a value sealed for one subject's name does not open as another's, nor as the same subject's code.
    private static byte[] Binding(Guid subjectId, string field) => Encoding.UTF8.GetBytes($"{subjectId:N}/{field}");

    private static IEnumerable<(string Field, string Value, Action<string> Replace)> Values(JsonObject payload, EventShape shape)
    {
        foreach (var property in shape.ValueProperties)
        {
            switch (payload[property])
            {
                case JsonValue value when value.TryGetValue<string>(out var text):
                    yield return (property, text, replacement => payload[property] = replacement);
                    break;
                case JsonObject map:
                    foreach (var entry in map.ToList())
                    {
                        if (entry.Value is JsonValue item && item.TryGetValue<string>(out var itemText))
                        {
                            var name = entry.Key;
                            yield return ($"{property}.{name}", itemText, replacement => map[name] = replacement);
                        }
                    }

                    break;
            }
        }
    }

    private static EventShape? Describe(Type eventType)
    {
        var personal = eventType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.IsDefined(typeof(PersonalValueAttribute)))
            .ToList();
        if (personal.Count == 0)
        {
            return null;
        }

        var subject = eventType.GetProperty("SubjectId");
        if (subject is null || (subject.PropertyType != typeof(Guid) && subject.PropertyType != typeof(Guid?)))
        {
            throw new InvalidOperationException($"{eventType.Name} has personal values but no SubjectId (Guid) to seal them for.");
        }

        foreach (var property in personal)
        {
            var type = property.PropertyType;
            var isMap = type.IsGenericType && typeof(IEnumerable<KeyValuePair<string, string?>>).IsAssignableFrom(type);
            if (type != typeof(string) && !isMap)
            {
                throw new InvalidOperationException($"{eventType.Name}.{property.Name} is a personal value but neither a string nor a map of strings.");
            }
        }

        return new EventShape(Json.PropertyNamingPolicy!.ConvertName(subject.Name), [.. personal.Select(p => Json.PropertyNamingPolicy!.ConvertName(p.Name))]);
    }
}

/// <summary>The JSON names of an event's subject id and of its personal values.</summary>
public sealed record EventShape(string SubjectProperty, IReadOnlyList<string> ValueProperties);
