using System.Globalization;
using System.Text;
using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Requests;

namespace Certometer.PrivacyRights.Access;

/// <summary>Compiles holders' export parts into the package a subject downloads: JSON for machines, a summary for people.</summary>
internal static class AccessPackages
{
    /// <summary>The package format version, so a receiving organisation can tell which shape it parses.</summary>
    public const string Format = "certometer-subject-data/1";

    public static string Compile(PrivacyRequest request, IReadOnlyList<ExportPart> parts, DateTimeOffset compiledAt, DateTimeOffset expiresAt)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("requestId", request.Id);
            json.WriteString("kind", request.Kind.ToString());
            json.WriteString("subjectId", request.SubjectId);
            json.WriteString("compiledAt", compiledAt);
            json.WriteString("expiresAt", expiresAt);
            json.WriteStartArray("holders");
            foreach (var part in parts)
            {
                json.WriteStartObject();
                json.WriteString("service", part.Service);
                json.WriteNumber("recordCount", part.RecordCount);
                json.WriteString("exportedAt", part.ExportedAt);
                json.WritePropertyName("data");
                // Each holder's part is already JSON; embedding it unchanged keeps what the holder said it holds.
                json.WriteRawValue(part.Content);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Summarise(
        PrivacyRequest request,
        IReadOnlyList<ExportPart> parts,
        IReadOnlyDictionary<string, PersonalDataHolder> holders,
        DateTimeOffset compiledAt,
        DateTimeOffset expiresAt)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine("Your personal data held by Certometer")
            .AppendLine(invariant, $"Request {request.Id} ({request.Kind}), compiled {compiledAt:yyyy-MM-dd HH:mm} UTC.")
            .AppendLine(invariant, $"This copy can be downloaded until {expiresAt:yyyy-MM-dd HH:mm} UTC; then it is deleted.")
            .AppendLine();
        foreach (var part in parts)
        {
            text.AppendLine(invariant, $"{part.Service}: {part.RecordCount} record(s)");
            if (holders.TryGetValue(part.Service, out var holder) && Categories(holder) is { } categories)
            {
                foreach (var category in categories)
                {
                    text.AppendLine(invariant, $"  - {category.Name}: {string.Join(", ", category.Fields)}. Why: {category.Purpose}");
                }
            }
        }

        text.AppendLine()
            .AppendLine("The attached JSON document holds every record listed above, one section per service.");
        return text.ToString();
    }

    private static List<PersonalDataCategory>? Categories(PersonalDataHolder holder)
    {
        try
        {
            return JsonSerializer.Deserialize<List<PersonalDataCategory>>(holder.Categories, InventoryJson.Options);
        }
        catch (JsonException)
        {
            // A declaration this version cannot read still leaves the record counts; the summary just says less.
            return null;
        }
    }
}
