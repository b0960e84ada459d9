using System.Globalization;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using Npgsql;

namespace Certometer.EndToEnd.Tests;

/// <summary>Every value that identifies one learner anywhere in the platform, as the erasure scan searches for it.</summary>
/// <param name="AddressParts">The mailing and billing address lines, city and postal code (the country is shared by many, so it is not searched).</param>
/// <param name="PageMarker">A site path only this learner visited signed in: how their pseudonymous analytics rows are recognised.</param>
public sealed record SubjectMarkers(
    Guid SubjectId, string Name, string Email, string Phone, IReadOnlyList<string> AddressParts, string PageMarker)
{
    /// <summary>Each value with what it is; the subject id and phone also in the other spellings a service might store.</summary>
    public IReadOnlyList<(string What, string Value)> Values =>
    [
        ("subject id", SubjectId.ToString("D")),
        ("subject id (no dashes)", SubjectId.ToString("N")),
        ("name", Name),
        ("email", Email),
        ("phone", Phone),
        ("phone (digits only)", new string([.. Phone.Where(char.IsAsciiDigit)])),
        .. AddressParts.Select(part => ("address", part)),
        ("signed-in page view", PageMarker),
    ];
}

/// <summary>
/// The proof that an erasure is complete: every cell of every table of every service database is searched for every
/// identifying value of the subject.
/// </summary>
public sealed class ErasureScan
{
    /// <summary>
    /// Every service's database, PrivacyRights' included: once an erasure closes, its request and audit trail are
    /// evidence for nobody (pseudonyms only, the subject id and contact address gone).
    /// </summary>
    public static readonly IReadOnlyList<string> Databases = ["identitydb", "catalogdb", "billingdb", "notificationsdb", "analyticsdb", "privacydb"];

    private readonly IReadOnlyDictionary<string, DatabaseScan> _scans;
    private readonly IReadOnlyDictionary<string, string> _connectionStrings;

    private ErasureScan(IReadOnlyDictionary<string, DatabaseScan> scans, IReadOnlyDictionary<string, string> connectionStrings)
    {
        _scans = scans;
        _connectionStrings = connectionStrings;
    }

    public static async Task<ErasureScan> ReadAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var scans = new Dictionary<string, DatabaseScan>();
        var connectionStrings = new Dictionary<string, string>();
        foreach (var database in Databases)
        {
            var connectionString = await app.GetConnectionStringAsync(database, cancellationToken)
                ?? throw new InvalidOperationException($"The stack has no connection string for {database}.");
            connectionStrings[database] = connectionString;
            var scan = await DatabaseScan.ReadAsync(connectionString, cancellationToken);
            // A scan that saw no tables (a wrong database, a schema elsewhere) would prove nothing.
            scan.Columns.ShouldContain("outbox_messages.payload", $"the scan of {database} must see its tables");
            scans[database] = scan;
        }

        return new ErasureScan(scans, connectionStrings);
    }

    /// <summary>Every place holding one of the subject's values, as <c>database: table.column holds what</c>.</summary>
    public IReadOnlyList<string> Hits(SubjectMarkers subject) =>
    [
        .. from scan in _scans
           from value in subject.Values
           from column in scan.Value.ColumnsContaining(value.Value, StringComparison.OrdinalIgnoreCase)
           select $"{scan.Key}: {column} holds the {value.What}",
    ];

    /// <summary>Whether <paramref name="database"/> still holds the subject's <paramref name="what"/> somewhere.</summary>
    public bool Holds(string database, SubjectMarkers subject, string what) =>
        subject.Values.Where(value => value.What == what)
            .Any(value => _scans[database].ColumnsContaining(value.Value, StringComparison.OrdinalIgnoreCase).Count > 0);

    /// <summary>
    /// Asserts the erasure left nothing of <paramref name="subject"/> in any holder's database, and that the only records
    /// kept are the ones Billing's receipt declares as pseudonymised: exactly as many invoices and orders as it says, each
    /// with a pseudonym where the person was and none of the subject's values.
    /// </summary>
    /// <param name="orderIds">The subject's orders, the only link the test has to the records Billing pseudonymised.</param>
    public async Task ShouldHoldNothingOfAsync(
        SubjectMarkers subject, IReadOnlyCollection<SubjectErased> receipts, IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken)
    {
        Hits(subject).ShouldBeEmpty("every holder's database must be free of the erased subject's values");

        var billing = receipts.Single(r => r.Service == "billing").Receipt;
        int Declared(string category) => billing.Lines
            .Where(line => line.Category == category && line.Action == ErasureAction.Pseudonymise).Sum(line => line.Rows);
        foreach (var line in billing.Lines.Where(line => line.Action != ErasureAction.Erase))
        {
            line.LegalBasis.ShouldNotBeNullOrWhiteSpace($"Billing keeps '{line.Category}' and must say why");
            line.RetainedUntil.ShouldNotBeNull($"Billing keeps '{line.Category}' and must say until when");
        }

        var invoices = await RowsAsync("billingdb", "invoices", "order_id", orderIds, cancellationToken);
        var orders = await RowsAsync("billingdb", "orders", "id", orderIds, cancellationToken);
        invoices.Count.ShouldBe(Declared("invoices"), "Billing kept exactly the invoices its receipt declares pseudonymised");
        orders.Count.ShouldBe(Declared("orders-and-payments"), "Billing kept exactly the orders its receipt declares pseudonymised");
        foreach (var (row, columnPrefix) in invoices.Select(r => (r, "bill_to")).Concat(orders.Select(r => (r, "billing_details"))))
        {
            foreach (var (what, value) in subject.Values)
            {
                row.GetRawText().ShouldNotContain(value, Case.Insensitive, $"a pseudonymised Billing record still holds the {what}");
            }

            row.GetProperty($"{columnPrefix}_name").GetString().ShouldStartWith("pseudonym-");
            row.GetProperty($"{columnPrefix}_line1").GetString().ShouldBeEmpty();
            row.GetProperty($"{columnPrefix}_city").GetString().ShouldBeEmpty();
            row.GetProperty($"{columnPrefix}_postal_code").GetString().ShouldBeEmpty();
        }

        invoices.ShouldAllBe(row => row.GetProperty("pseudonymised_at").ValueKind != JsonValueKind.Null);
    }

    private async Task<List<JsonElement>> RowsAsync(
        string database, string table, string keyColumn, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionStrings[database]);
        await connection.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            string.Create(CultureInfo.InvariantCulture, $"SELECT row_to_json(t)::text FROM \"{table}\" t WHERE \"{keyColumn}\" = ANY(@keys)"), connection);
        select.Parameters.AddWithValue("keys", keys.ToArray());
        var rows = new List<JsonElement>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        }

        return rows;
    }
}
