using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Certometer.Tests;

/// <summary>
/// The persistence convention, checked for one service's model without a database: its committed migrations create
/// exactly the model the code declares, and every name is snake_case. Linked into each service's unit-test project.
/// </summary>
public abstract partial class PersistenceModelChecks<TDbContext>
    where TDbContext : DbContext
{
    /// <summary>The service's context as <c>dotnet ef</c> builds it (the design-time factory, which never connects).</summary>
    protected abstract TDbContext CreateDbContext();

    [Fact]
    public void The_committed_migrations_create_exactly_the_model_the_code_declares()
    {
        using var db = CreateDbContext();

        db.Database.HasPendingModelChanges().ShouldBeFalse("the model changed: add a migration (see the README's persistence section)");
    }

    [Fact]
    public void Every_table_column_key_and_index_is_named_in_snake_case()
    {
        using var db = CreateDbContext();

        var names = db.Model.GetEntityTypes().Where(entity => entity.GetTableName() is not null).SelectMany(entity =>
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            return new[] { entity.GetTableName()! }
                .Concat(entity.GetProperties().Select(property => property.GetColumnName(table)).OfType<string>())
                .Concat(entity.GetKeys().Select(key => key.GetName()).OfType<string>())
                .Concat(entity.GetForeignKeys().Select(foreignKey => foreignKey.GetConstraintName()).OfType<string>())
                .Concat(entity.GetIndexes().Select(index => index.GetDatabaseName()).OfType<string>());
        }).ToList();

        names.ShouldNotBeEmpty();
        names.Where(name => !SnakeCase().IsMatch(name)).ShouldBeEmpty();
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();
}
