using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Certometer.Bench;

/// <summary>
/// The baseline for catalogue browsing: the same two queries Catalog runs for a page of the public list (count, then
/// the page ordered by title), through raw Npgsql, written with a Utf8JsonWriter, behind a bare Kestrel handler —
/// no routing, no EF Core, no validation, no caching headers. What Catalog costs on top of this is the framework.
/// </summary>
public static class CatalogBaseline
{
    private const string CountSql = """SELECT count(*) FROM courses WHERE status = 'Published'""";

    private const string PageSql = """
        SELECT id, slug, title, description, kind, level, duration_minutes, price_minor, currency, language,
               exam IS NOT NULL, published_at
        FROM courses WHERE status = 'Published'
        ORDER BY title, id LIMIT $1 OFFSET $2
        """;

    public static async Task<int> ServeAsync(string connectionString, string url)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context => WritePageAsync(context, dataSource));
        await app.RunAsync();
        return 0;
    }

    private static async Task WritePageAsync(HttpContext context, NpgsqlDataSource dataSource)
    {
        var page = int.TryParse(context.Request.Query["page"], out var p) && p > 0 ? p : 1;
        var pageSize = int.TryParse(context.Request.Query["pageSize"], out var s) && s is > 0 and <= 100 ? s : 20;
        await using var connection = await dataSource.OpenConnectionAsync(context.RequestAborted);
        long total;
        await using (var count = new NpgsqlCommand(CountSql, connection))
        {
            total = (long)(await count.ExecuteScalarAsync(context.RequestAborted))!;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartArray("items");
        await using (var command = new NpgsqlCommand(PageSql, connection) { Parameters = { new() { Value = pageSize }, new() { Value = (page - 1) * pageSize } } })
        await using (var reader = await command.ExecuteReaderAsync(context.RequestAborted))
        {
            while (await reader.ReadAsync(context.RequestAborted))
            {
                json.WriteStartObject();
                json.WriteString("id", reader.GetGuid(0));
                json.WriteString("slug", reader.GetString(1));
                json.WriteString("title", reader.GetString(2));
                json.WriteString("description", reader.GetString(3));
                json.WriteString("kind", reader.GetString(4));
                json.WriteString("level", reader.GetString(5));
                json.WriteNumber("durationMinutes", reader.GetInt32(6));
                json.WriteNumber("priceMinor", reader.GetInt64(7));
                json.WriteString("currency", reader.GetString(8));
                json.WriteString("language", reader.GetString(9));
                json.WriteBoolean("hasExam", reader.GetBoolean(10));
                if (reader.IsDBNull(11))
                {
                    json.WriteNull("publishedAt");
                }
                else
                {
                    json.WriteString("publishedAt", reader.GetFieldValue<DateTimeOffset>(11));
                }

                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteNumber("page", page);
        json.WriteNumber("pageSize", pageSize);
        json.WriteNumber("totalCount", total);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
