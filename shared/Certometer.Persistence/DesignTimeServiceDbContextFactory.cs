using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Certometer.Persistence;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build a service's model without starting the service; it never connects.
/// Each service declares a one-line subclass, because EF looks for the factory in the service's own assembly.
/// </summary>
public abstract class DesignTimeServiceDbContextFactory<TDbContext> : IDesignTimeDbContextFactory<TDbContext>
    where TDbContext : DbContext
{
    public TDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TDbContext>().UseServiceDatabase("Host=design-time-only").Options;
        return (TDbContext)Activator.CreateInstance(typeof(TDbContext), options)!;
    }
}
