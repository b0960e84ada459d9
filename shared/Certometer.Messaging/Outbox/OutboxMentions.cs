using System.Text.RegularExpressions;

namespace Certometer.Messaging.Outbox;

/// <summary>The ids an outbox payload names (<see cref="OutboxMessage.Mentions"/>), found when the event is staged.</summary>
public static partial class OutboxMentions
{
    // A GUID in its usual 8-4-4-4-12 form, anywhere in the text: a property of its own, an element of a list, or
    // inside a longer string.
    private const string GuidPattern = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    [GeneratedRegex(GuidPattern, RegexOptions.CultureInvariant)]
    private static partial Regex GuidInText();

    public static Guid[] In(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var ids = new HashSet<Guid>();
        foreach (var match in GuidInText().EnumerateMatches(payload))
        {
            ids.Add(Guid.Parse(payload.AsSpan(match.Index, match.Length)));
        }

        return [.. ids];
    }
}
