using Certometer.Catalog.Certificates;
using Certometer.Catalog.Courses;
using Certometer.Catalog.Enrollments;
using Certometer.Catalog.Learners;
using Certometer.HolderContract.Tombstones;
using Certometer.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Data;

/// <summary>The Catalog service's own database.</summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<Course> Courses => Set<Course>();

    public DbSet<Enrollment> Enrollments => Set<Enrollment>();

    public DbSet<LessonCompletion> LessonCompletions => Set<LessonCompletion>();

    public DbSet<ExamAttempt> ExamAttempts => Set<ExamAttempt>();

    public DbSet<Certificate> Certificates => Set<Certificate>();

    public DbSet<Learner> Learners => Set<Learner>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox().AddErasureTombstones();
        // Trigram indexes make the catalogue's case-insensitive substring search (ILIKE '%term%') an index scan.
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatalogDbContext).Assembly);
    }
}
