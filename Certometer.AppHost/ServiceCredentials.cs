using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace Certometer.AppHost;

/// <summary>
/// Gives each service its own PostgreSQL role and its own RabbitMQ user, so that a foothold in one service reaches only
/// that service's database and can publish only the messages its contracts say it publishes.
/// </summary>
/// <remarks>
/// The superuser and the broker's administrator stay with the AppHost (and the operator's dashboard). Passwords are
/// generated, and set again at every start, so a kept data volume follows the AppHost's current secrets.
/// </remarks>
internal static class ServiceCredentials
{
    /// <summary>
    /// Makes the service's own role the owner of <paramref name="database"/> (and of every table in it), shuts every
    /// other role out of it, and hands the service a connection string for that role only.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOwnDatabaseRole(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<PostgresDatabaseResource> database)
    {
        var role = service.Resource.Name;
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(
            service.ApplicationBuilder, $"{role}-database-password", special: false);

        // Dependents that wait for the database wait for this handler too, so the service never starts before its role works.
        service.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(database.Resource, async (_, cancellationToken) =>
        {
            var superuser = await database.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
            await using var connection = new NpgsqlConnection(superuser);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = OwnDatabaseRoleSql(role, database.Resource.DatabaseName, await password.GetValueAsync(cancellationToken));
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

        var server = database.Resource.Parent.PrimaryEndpoint;
        var connectionString = ReferenceExpression.Create(
            $"Host={server.Property(EndpointProperty.Host)};Port={server.Property(EndpointProperty.Port)};Username={role};Password={password};Database={database.Resource.DatabaseName}");
        return service
            .WithEnvironment($"ConnectionStrings__{database.Resource.Name}", connectionString)
            .WithReferenceRelationship(database.Resource)
            .WaitFor(database);
    }

    /// <summary>
    /// Gives the service a broker user that may create and read its own queues and read every contract exchange, but
    /// write only to its own queues and to the exchanges of the messages it is named publisher of.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOwnBrokerUser(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<RabbitMQServerResource> broker)
    {
        var user = service.Resource.Name;
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(
            service.ApplicationBuilder, $"{user}-broker-password", special: false);
        var permissions = BrokerPermissions.For(user);

        service.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(broker.Resource, async (_, cancellationToken) =>
        {
            using var management = await ManagementClientAsync(broker, cancellationToken);
            var name = Uri.EscapeDataString(user);
            (await management.PutAsJsonAsync(
                $"api/users/{name}", new { password = await password.GetValueAsync(cancellationToken), tags = "" }, cancellationToken))
                .EnsureSuccessStatusCode();
            (await management.PutAsJsonAsync(
                $"api/permissions/%2F/{name}",
                new { configure = permissions.Configure, write = permissions.Write, read = permissions.Read },
                cancellationToken))
                .EnsureSuccessStatusCode();
        });

        var amqp = broker.Resource.PrimaryEndpoint;
        var connectionString = ReferenceExpression.Create(
            $"amqp://{user}:{password}@{amqp.Property(EndpointProperty.Host)}:{amqp.Property(EndpointProperty.Port)}");
        return service
            .WithEnvironment("ConnectionStrings__messaging", connectionString)
            .WithReferenceRelationship(broker.Resource)
            .WaitFor(broker);
    }

    private static string OwnDatabaseRoleSql(string role, string database, string? password)
    {
        var quote = new NpgsqlCommandBuilder();
        var roleName = quote.QuoteIdentifier(role);
        var databaseName = quote.QuoteIdentifier(database);
        // Generated from letters and digits only, so it is safe inside a literal (ALTER ROLE takes no parameters).
        var literal = $"'{password}'";
        var roleLiteral = $"'{role.Replace("'", "''", StringComparison.Ordinal)}'";
        return $"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {roleLiteral}) THEN CREATE ROLE {roleName}; END IF;
            END $$;
            ALTER ROLE {roleName} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD {literal};
            ALTER DATABASE {databaseName} OWNER TO {roleName};
            REVOKE ALL ON DATABASE {databaseName} FROM PUBLIC;
            -- Tables created by the superuser before services had roles of their own (a kept data volume) change hands too.
            DO $$ DECLARE item record; BEGIN
              FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
                            AND pg_get_userbyid(c.relowner) <> {roleLiteral}
              LOOP EXECUTE format('ALTER TABLE %s OWNER TO %I', item.name, {roleLiteral}); END LOOP;
            END $$;
            """;
    }

    private static async Task<HttpClient> ManagementClientAsync(IResourceBuilder<RabbitMQServerResource> broker, CancellationToken cancellationToken)
    {
        var administrator = await broker.Resource.UserNameReference.GetValueAsync(cancellationToken);
        var password = await broker.Resource.PasswordParameter.GetValueAsync(cancellationToken);
        var client = new HttpClient { BaseAddress = new Uri(broker.Resource.ManagementEndpoint.Url + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{administrator}:{password}")));
        return client;
    }
}
