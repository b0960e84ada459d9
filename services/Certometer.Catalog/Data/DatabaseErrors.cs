using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Certometer.Catalog.Data;

/// <summary>Recognises the database refusals that mean "someone else got there first" rather than a fault.</summary>
internal static class DatabaseErrors
{
    public static bool IsUniqueViolation(this DbUpdateException exception, string? constraint = null) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
        && (constraint is null || string.Equals(postgres.ConstraintName, constraint, StringComparison.Ordinal));
}
