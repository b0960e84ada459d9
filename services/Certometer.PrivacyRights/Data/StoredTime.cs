namespace Certometer.PrivacyRights.Data;

/// <summary>Times as PostgreSQL stores them: a time is truncated once, so what is answered is what is stored.</summary>
internal static class StoredTime
{
    /// <summary>Now, to the microsecond, in UTC.</summary>
    public static DateTimeOffset Now(TimeProvider clock) => AsStored(clock.GetUtcNow());

    /// <summary>A time as PostgreSQL will give it back (microseconds, UTC).</summary>
    public static DateTimeOffset AsStored(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
}
