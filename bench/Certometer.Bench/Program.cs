using Certometer.Bench;

// Each benchmark prints its figures next to a baseline measured in the same run; ratios are what to compare,
// since absolute numbers on a shared two-core machine move from run to run.
var repositoryRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
return args switch
{
    ["catalog-browsing"] => await CatalogBrowsingBenchmark.RunAsync(repositoryRoot),
    ["catalog-baseline", var database, var url] => await CatalogBaseline.ServeAsync(database, url),
    ["analytics-ingestion"] => await AnalyticsIngestionBenchmark.RunAsync(repositoryRoot),
    ["erasure-fanout"] => await ErasureFanOutBenchmark.RunAsync(20, restartBroker: false),
    ["erasure-fanout", var batch] when int.TryParse(batch, out var size) && size is > 0 and <= 2000 => await ErasureFanOutBenchmark.RunAsync(size, restartBroker: false),
    ["erasure-fanout", var batch, "restart-broker"] when int.TryParse(batch, out var size) && size is > 0 and <= 2000 =>
        await ErasureFanOutBenchmark.RunAsync(size, restartBroker: true),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench/run.sh <benchmark>");
    Console.Error.WriteLine("  catalog-browsing      anonymous catalogue list under load, Catalog vs raw Npgsql baseline");
    Console.Error.WriteLine("  analytics-ingestion   usage events posted one by one and in batches, vs a COPY bulk insert of the same rows");
    Console.Error.WriteLine("  erasure-fanout [n [restart-broker]]");
    Console.Error.WriteLine("                        erasures on the whole AppHost, one at a time and n (20) at once, vs a bare RabbitMQ round trip;");
    Console.Error.WriteLine("                        restart-broker restarts RabbitMQ once half the batch has completed");
    return 2;
}
