using Certometer.Catalog.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Certometer.Catalog.UnitTests;

public sealed class PersistenceModelTests
{
    [Fact]
    public void The_committed_migrations_create_exactly_the_model_the_code_declares()
    {
        using var db = new CatalogDbContextFactory().CreateDbContext([]);

        db.Database.HasPendingModelChanges().ShouldBeFalse("the model changed: add a migration (see the README's persistence section)");
    }

    [Fact]
    public void Every_table_column_key_and_index_is_named_in_snake_case()
    {
        using var db = new CatalogDbContextFactory().CreateDbContext([]);

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
        names.Where(name => !System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z][a-z0-9_]*$")).ShouldBeEmpty();
    }
}
