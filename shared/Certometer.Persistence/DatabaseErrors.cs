using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Certometer.Persistence;

/// <summary>Recognises the database refusals that mean "someone else got there first" rather than a fault.</summary>
public static class DatabaseErrors
{
    public static bool IsUniqueViolation(this DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
    }
}
