using Certometer.Persistence;
using Npgsql;

namespace Certometer.Messaging.Tests;

public sealed class ServiceDatabaseTests
{
    [Fact]
    public void A_service_pool_is_bounded_below_npgsql_default_so_six_services_fit_one_server()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ServiceDatabase.TunedForService("Host=db;Database=catalogdb;Username=catalog;Password=secret"));

        tuned.MaxPoolSize.ShouldBe(ServiceDatabase.DefaultMaxPoolSize);
        tuned.Database.ShouldBe("catalogdb");
        tuned.Password.ShouldBe("secret");
    }

    [Fact]
    public void A_service_connection_prepares_its_statements_and_skips_the_reset_on_return_to_the_pool()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ServiceDatabase.TunedForService("Host=db;Database=catalogdb"));

        tuned.MaxAutoPrepare.ShouldBeGreaterThan(0);
        tuned.NoResetOnClose.ShouldBeTrue();
    }

    [Fact]
    public void A_pool_size_and_a_number_of_prepared_statements_the_connection_string_sets_are_kept()
    {
        var configured = new NpgsqlConnectionStringBuilder(
            ServiceDatabase.TunedForService("Host=db;Database=catalogdb;Maximum Pool Size=7;Max Auto Prepare=3"));

        configured.MaxPoolSize.ShouldBe(7);
        configured.MaxAutoPrepare.ShouldBe(3);
    }
}
