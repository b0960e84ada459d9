using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Certometer.Persistence;

/// <summary>Registers a service's own PostgreSQL database: its DbContext, its health check, and migrations at start-up.</summary>
public static class ServiceDatabase
{
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(this IHostApplicationBuilder builder, string connectionName)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);

        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is missing: set it to the service's PostgreSQL database, or run the service from the AppHost.");
        }

        connectionString = TunedForService(connectionString);
        // Every interceptor registered as IInterceptor joins the service's DbContext, whoever registered it (messaging
        // adds its outbox commit signal this way, the personal-data holder contract its erasure guard).
        builder.Services.AddDbContext<TDbContext>((services, options) => options
            .UseServiceDatabase(connectionString)
            .AddInterceptors(services.GetServices<IInterceptor>()));
        builder.Services.AddHealthChecks().AddDbContextCheck<TDbContext>($"{connectionName}-database", tags: ["ready"]);

        // Registered before the messaging hosted services, so the tables exist before anything reads or writes them.
        builder.Services.AddHostedService<DatabaseMigrator<TDbContext>>();
        return builder;
    }

    /// <summary>
    /// Points <paramref name="options"/> at a service database the one way every service, migration and test does:
    /// Npgsql, retried on transient failures, and snake_case table, column, key and index names, so hand-written SQL
    /// and <c>psql</c> read the same names in every database without a single <c>HasColumnName</c>. The convention
    /// also names the columns <c>SqlQuery&lt;T&gt;</c> reads into a record (<c>occurred_at</c> for <c>OccurredAt</c>);
    /// a scalar query still reads the column <c>"Value"</c>.
    /// </summary>
    public static TBuilder UseServiceDatabase<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure()).UseSnakeCaseNamingConvention();
        return options;
    }

    /// <summary>
    /// Npgsql's defaults, tuned for a service that runs the same few dozen statements all day on a shared server.
    /// A pool size or a number of prepared statements the connection string gives itself wins.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><b>A bounded pool.</b> Npgsql's default of 100 connections per service would let six services under
    /// load ask one server for 600, far past its <c>max_connections</c>: every refused connection was a forked
    /// backend, a SCRAM handshake and a retry after a delay, hundreds a second in a burst of erasures. A bounded
    /// pool makes a busy service queue for its own connections instead.</item>
    /// <item><b>Automatic preparation.</b> The server parses and plans each statement once per connection instead
    /// of on every execution; the inbox insert, the tombstone check and the outbox claim run on every message.</item>
    /// <item><b>No reset on return to the pool.</b> Npgsql would otherwise send a reset (RESET ALL, CLOSE ALL,
    /// UNLISTEN, advisory unlock, DISCARD) before the next use of every pooled connection: a statement batch per
    /// consumed message. Nothing here leaves session state behind: every lock is transaction-scoped
    /// (<c>pg_advisory_xact_lock</c>) and nothing sets session variables, listens or creates temporary tables.</item>
    /// </list>
    /// </remarks>
    internal static string TunedForService(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxPoolSize == NpgsqlDefaultMaxPoolSize)
        {
            settings.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = AutoPreparedStatements;
        }

        settings.NoResetOnClose = true;

        return settings.ConnectionString;
    }

    /// <summary>Statements each connection keeps prepared; a service's hot path is a few dozen.</summary>
    private const int AutoPreparedStatements = 64;

    private const int NpgsqlDefaultMaxPoolSize = 100;

    /// <summary>Connections per service instance; the AppHost's server allows enough for every service's pool (see its max_connections).</summary>
    public const int DefaultMaxPoolSize = 20;
}

/// <summary>Applies pending EF Core migrations before the service starts serving.</summary>
/// <remarks>EF Core takes a database lock while migrating, so several instances starting together are safe.</remarks>
internal sealed partial class DatabaseMigrator<TDbContext>(IServiceScopeFactory scopeFactory, ILogger<DatabaseMigrator<TDbContext>> logger)
    : IHostedService
    where TDbContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogMigrating(typeof(TDbContext).Name, pending.Count);
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migrations to {Context}")]
    private partial void LogMigrating(string context, int count);
}
