using System.Net;
using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Certometer.TestInfrastructure;

/// <summary>Builds PostgreSQL and RabbitMQ containers from the images <c>deploy/local/prepare.sh</c> chose for this machine.</summary>
public static class InfrastructureContainers
{
    private static bool UseLocalStandIns =>
        string.Equals(Environment.GetEnvironmentVariable("Infrastructure__Images"), "LocalStandIns", StringComparison.OrdinalIgnoreCase);

    public static string PostgresImage => UseLocalStandIns
        ? Environment.GetEnvironmentVariable("Infrastructure__PostgresImage") ?? "certometer/postgres:15"
        : "postgres:17.6";

    public static string RabbitMqImage => UseLocalStandIns
        ? Environment.GetEnvironmentVariable("Infrastructure__RabbitMqImage") ?? "certometer/rabbitmq:3.10-management"
        : "rabbitmq:4.1-management";

    public static PostgreSqlContainer Postgres() =>
        new PostgreSqlBuilder(PostgresImage)
            // Durability is not under test and fsync dominates small transactions on these disks.
            .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=300")
            .Build();

    /// <param name="fixedHostPort">
    /// Pin the AMQP host port when a test stops and restarts the broker: a restarted container otherwise gets a new
    /// port, and clients that reconnect to the old address would never see the broker come back.
    /// </param>
    public static RabbitMqContainer RabbitMq(int? fixedHostPort = null)
    {
        // The management port too: tests create a virtual host each and read queue depths through its API.
        var builder = new RabbitMqBuilder(RabbitMqImage).WithPortBinding(ManagementPort, assignRandomHostPort: true);
        if (fixedHostPort is { } port)
        {
            builder = builder.WithPortBinding(port, RabbitMqBuilder.RabbitMqPort);
        }

        return builder.Build();
    }

    public const int ManagementPort = 15672;

    /// <summary>A TCP port nobody is listening on right now, for <see cref="RabbitMq(int?)"/>.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Creates a fresh database on the server and returns its connection string, so tests never share state.</summary>
    public static async Task<string> CreateDatabaseAsync(this PostgreSqlContainer postgres, string prefix)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        var server = postgres.GetConnectionString();
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}
