using Certometer.Bench;

// Each benchmark prints its figures next to a baseline measured in the same run; ratios are what to compare,
// since absolute numbers on a shared two-core machine move from run to run.
return args switch
{
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Certometer.Bench <benchmark>");
    Console.Error.WriteLine($"  (no benchmarks yet; {nameof(LoadGenerator)} and {nameof(ServiceProcess)} are the building blocks)");
    return 2;
}
