namespace Certometer.TestInfrastructure;

/// <summary>Polls until something becomes true; the waiting is never the assertion, only the way to reach it.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await ValueAsync<object>(async () => await condition() ? true : null, what, timeout, cancellationToken);
    }

    /// <summary>Polls until <paramref name="probe"/> returns a value and returns it; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var deadline = DateTimeOffset.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
