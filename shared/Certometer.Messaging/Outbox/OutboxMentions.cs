using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Certometer.Messaging.Outbox;

/// <summary>The ids an outbox payload names (<see cref="OutboxMessage.Mentions"/>), found the same way in C# and in SQL.</summary>
public static partial class OutboxMentions
{
    // A GUID in its usual 8-4-4-4-12 form, anywhere in the text: a property of its own, an element of a list, or
    // inside a longer string. The same pattern as the migration's back-fill below.
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

    /// <summary>Fills <c>mentions</c> for rows staged before the column existed, so an erasure finds them too.</summary>
    public static void BackfillExistingRows(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(
            $"""
            UPDATE outbox_messages
            SET mentions = ARRAY(SELECT DISTINCT lower(found[1])::uuid FROM regexp_matches(payload::text, '({GuidPattern})', 'g') AS found)
            """);
    }
}
