using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Certometer.EndToEnd.Tests;

/// <summary>
/// A foothold in one service (its connection strings, as an attacker who read its environment would have them) reaches
/// neither another service's data nor another service's consumers. Catalog plays the compromised service.
/// </summary>
public sealed class ServiceCredentialTests(StackFixture stack)
{
    [Theory(Timeout = StackFixture.TestTimeout)]
    [InlineData("Certometer.Contracts.Privacy:SubjectErasureRequested", "")]
    [InlineData("Certometer.Contracts.Identity:AccountLockRequested", "")]
    [InlineData("Certometer.Contracts.Privacy:ConsentsInForce", "")]
    [InlineData("Certometer.Contracts.Billing:PaymentSucceeded", "")]
    [InlineData("billing-subject-erasure-requested", "")]
    [InlineData("privacy-rights-subject-erased_error", "")]
    [InlineData("", "billing-subject-erasure-requested")]
    public async Task A_service_broker_user_is_refused_publishing_what_is_not_its_own(string exchange, string routingKey)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = await ConnectAsCatalogAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);

        var refusal = await Should.ThrowAsync<Exception>(async () =>
        {
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, body: "{}"u8.ToArray(), cancellationToken);
            // A refused publish closes the channel; the next operation reports why, whichever of the two sees it first.
            await channel.ExchangeDeclarePassiveAsync("amq.fanout", cancellationToken);
        });

        Describe(refusal, channel).ShouldContain("ACCESS_REFUSED");
        Describe(refusal, channel).ShouldContain("catalog");
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_service_broker_user_may_publish_its_own_messages_and_read_its_own_queues()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = await ConnectAsCatalogAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);

        // Declaring (passively) reads nothing and changes nothing; it fails on a missing permission like a publish would.
        await channel.ExchangeDeclarePassiveAsync("Certometer.Contracts.Catalog:EnrollmentCreated", cancellationToken);
        var queue = await channel.QueueDeclarePassiveAsync("catalog-subject-erasure-requested", cancellationToken);
        queue.QueueName.ShouldBe("catalog-subject-erasure-requested");
        channel.IsOpen.ShouldBeTrue();
    }

    [Theory(Timeout = StackFixture.TestTimeout)]
    [InlineData("billingdb")]
    [InlineData("identitydb")]
    [InlineData("privacydb")]
    public async Task A_service_database_role_cannot_connect_to_another_services_database(string database)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var catalog = new NpgsqlConnectionStringBuilder(await stack.SettingOfAsync("catalog", "ConnectionStrings__catalogdb", cancellationToken))
        {
            Database = database,
            Pooling = false,
        };

        await using var connection = new NpgsqlConnection(catalog.ConnectionString);
        var refusal = await Should.ThrowAsync<PostgresException>(() => connection.OpenAsync(cancellationToken));

        refusal.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_service_database_role_owns_its_own_tables_and_is_no_superuser()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(await stack.SettingOfAsync("catalog", "ConnectionStrings__catalogdb", cancellationToken));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT current_user, r.rolsuper, r.rolcreaterole, r.rolcreatedb,
                   (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> current_user)
            FROM pg_roles r WHERE r.rolname = current_user
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (await reader.ReadAsync(cancellationToken)).ShouldBeTrue();

        reader.GetString(0).ShouldBe("catalog");
        reader.GetBoolean(1).ShouldBeFalse("superuser");
        reader.GetBoolean(2).ShouldBeFalse("may create roles");
        reader.GetBoolean(3).ShouldBeFalse("may create databases");
        reader.GetInt64(4).ShouldBe(0, "tables in catalogdb owned by another role");
    }

    private async Task<IConnection> ConnectAsCatalogAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await stack.SettingOfAsync("catalog", "ConnectionStrings__messaging", cancellationToken)) };
        return await factory.CreateConnectionAsync(cancellationToken);
    }

    private static string Describe(Exception refusal, IChannel channel) =>
        $"{refusal.Message} {(refusal as OperationInterruptedException)?.ShutdownReason?.ReplyText} {channel.CloseReason?.ReplyText}";
}
