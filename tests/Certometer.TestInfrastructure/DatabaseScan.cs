using Npgsql;

namespace Certometer.TestInfrastructure;

/// <summary>
/// Every non-null value of every column of every table in a service's database, as text: what a privacy test searches
/// to prove a value is nowhere (no column is left out, whatever its type, outbox and inbox included).
/// </summary>
public sealed class DatabaseScan
{
    private DatabaseScan(IReadOnlyList<string> columns, IReadOnlyList<(string Column, string Value)> cells)
    {
        Columns = columns;
        Cells = cells;
    }

    /// <summary>Every column scanned, as <c>table.column</c>; tests check it covers the tables they mean to prove clean.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Every non-null cell, with the <c>table.column</c> it came from.</summary>
    public IReadOnlyList<(string Column, string Value)> Cells { get; }

    public static async Task<DatabaseScan> ReadAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var columns = new List<(string Table, string Column)>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = 'public'
            """,
            connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var cells = new List<(string, string)>();
        foreach (var (table, column) in columns)
        {
            await using var select = new NpgsqlCommand($"SELECT \"{column}\"::text FROM \"{table}\" WHERE \"{column}\" IS NOT NULL", connection);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                cells.Add(($"{table}.{column}", reader.GetString(0)));
            }
        }

        return new DatabaseScan([.. columns.Select(c => $"{c.Table}.{c.Column}")], cells);
    }

    /// <summary>The <c>table.column</c>s holding <paramref name="value"/> anywhere in a cell.</summary>
    public IReadOnlyList<string> ColumnsContaining(string value, StringComparison comparison) =>
        [.. Cells.Where(cell => cell.Value.Contains(value, comparison)).Select(cell => cell.Column).Distinct()];
}
