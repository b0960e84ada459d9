namespace Certometer.EndToEnd.Tests;

/// <summary>The kinds of caller the matrix has a column for.</summary>
public enum Caller
{
    Anonymous,
    Learner,
    ComplianceOfficer,
    Operator,
    Service,
}

/// <summary>One endpoint's row: how to call it and the status each kind of caller must get.</summary>
public sealed record MatrixRow(string Service, HttpMethod Method, string Path, string? Body, IReadOnlyDictionary<Caller, int> Expected)
{
    /// <summary>Whether a token-less call is refused, i.e. the endpoint needs a token at all.</summary>
    public bool IsProtected => Expected[Caller.Anonymous] == 401;

    public override string ToString() => $"{Service} {Method} {Path}";
}

/// <summary>Reads <c>AuthorizationMatrix.csv</c>, the single list of who may call what.</summary>
public static class AuthorizationMatrix
{
    private static readonly Caller[] Columns = [Caller.Anonymous, Caller.Learner, Caller.ComplianceOfficer, Caller.Operator, Caller.Service];

    public static IReadOnlyList<MatrixRow> Rows { get; } = Load();

    private static List<MatrixRow> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "AuthorizationMatrix.csv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();
        var header = lines[0].Split(',');
        if (!header.SequenceEqual(["service", "method", "path", "body", "anonymous", "learner", "compliance-officer", "operator", "service"]))
        {
            throw new InvalidOperationException($"Unexpected matrix header: {lines[0]}");
        }

        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            if (cells.Length != header.Length)
            {
                throw new InvalidOperationException($"Matrix row has {cells.Length} cells, not {header.Length}: {line}");
            }

            var expected = Columns.Select((caller, index) => (caller, status: int.Parse(cells[4 + index], System.Globalization.CultureInfo.InvariantCulture)))
                .ToDictionary(cell => cell.caller, cell => cell.status);
            return new MatrixRow(cells[0], new HttpMethod(cells[1]), cells[2], cells[3].Length == 0 ? null : cells[3], expected);
        }).ToList();
    }
}
