using Certometer.Persistence;
using Npgsql;

namespace Certometer.Messaging.Tests;

public sealed class ServiceDatabaseTests
{
    [Fact]
    public void A_service_pool_is_bounded_below_npgsql_default_so_six_services_fit_one_server()
    {
        var bounded = new NpgsqlConnectionStringBuilder(ServiceDatabase.WithBoundedPool("Host=db;Database=catalogdb;Username=catalog;Password=secret"));

        bounded.MaxPoolSize.ShouldBe(ServiceDatabase.DefaultMaxPoolSize);
        bounded.Database.ShouldBe("catalogdb");
        bounded.Password.ShouldBe("secret");
    }

    [Fact]
    public void A_pool_size_the_connection_string_sets_is_kept()
    {
        var configured = new NpgsqlConnectionStringBuilder(ServiceDatabase.WithBoundedPool("Host=db;Database=catalogdb;Maximum Pool Size=7"));

        configured.MaxPoolSize.ShouldBe(7);
    }
}
