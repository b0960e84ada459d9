using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;
using Xunit;

namespace Certometer.TestInfrastructure;

/// <summary>
/// One PostgreSQL server and one RabbitMQ broker for a whole test assembly (register it with
/// <c>[assembly: AssemblyFixture(typeof(SharedInfrastructure))]</c>); each test takes fresh databases, virtual hosts or
/// queue names.
/// </summary>
public sealed class SharedInfrastructure : IAsyncLifetime
{
    public PostgreSqlContainer Postgres { get; } = InfrastructureContainers.Postgres();

    public RabbitMqContainer Broker { get; } = InfrastructureContainers.RabbitMq();

    public async ValueTask InitializeAsync() => await Task.WhenAll(Postgres.StartAsync(), Broker.StartAsync());

    public async ValueTask DisposeAsync()
    {
        await Postgres.DisposeAsync();
        await Broker.DisposeAsync();
    }

    /// <summary>A queue-name prefix no other test uses, so leftovers of one test never reach another.</summary>
    public static string UniqueServiceName(string role) => $"{role}-{Guid.NewGuid():N}"[..(role.Length + 9)];
}
