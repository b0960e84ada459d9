using Certometer.Contracts.Privacy;

namespace Certometer.HolderContract.UnitTests;

public sealed class InventoryTests
{
    private static PersonalDataCategory Erased(string name) => new(name, ["email"], "Sending receipts.", ErasureAction.Erase, Exported: true);

    private static PersonalDataCategory Kept(string name, ErasureAction action, string? legalBasis, int? months) =>
        new(name, ["name", "address"], "Invoices.", action, Exported: true, legalBasis, months);

    [Fact]
    public void An_inventory_that_erases_everything_needs_no_legal_basis()
    {
        Should.NotThrow(() => new PersonalDataInventory("billing", [Erased("contact"), Erased("orders")], "Stop charging.").Validate());
    }

    [Fact]
    public void A_category_declared_twice_is_refused_naming_it()
    {
        var inventory = new PersonalDataInventory("billing", [Erased("contact"), Erased("contact")], "Stop charging.");

        Should.Throw<InvalidOperationException>(inventory.Validate).Message.ShouldContain("'contact'");
    }

    [Theory]
    [InlineData(ErasureAction.Pseudonymise, null, 120)]
    [InlineData(ErasureAction.Pseudonymise, " ", 120)]
    [InlineData(ErasureAction.Retain, "HGB §257", null)]
    [InlineData(ErasureAction.Retain, "HGB §257", 0)]
    public void Data_kept_on_erasure_must_state_its_legal_basis_and_a_retention_period(ErasureAction action, string? legalBasis, int? months)
    {
        var inventory = new PersonalDataInventory("billing", [Kept("invoices", action, legalBasis, months)], "Stop charging.");

        Should.Throw<InvalidOperationException>(inventory.Validate).Message.ShouldContain("'invoices'");
    }

    [Fact]
    public void Data_kept_with_a_legal_basis_and_a_period_is_accepted()
    {
        var inventory = new PersonalDataInventory("billing", [Kept("invoices", ErasureAction.Pseudonymise, "HGB §257", 120)], "Stop charging.");

        Should.NotThrow(inventory.Validate);
    }

    [Fact]
    public void A_holder_without_a_name_cannot_declare_itself()
    {
        Should.Throw<ArgumentException>(new PersonalDataInventory(" ", [Erased("contact")], "Stop.").Validate);
    }

    [Fact]
    public void A_request_to_every_holder_or_naming_this_one_is_meant_for_it_and_one_naming_others_is_not()
    {
        var billing = new PersonalDataInventory("billing", [Erased("contact")], "Stop charging.");

        billing.IsAskedBy(new SubjectErasureRequested(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UnixEpoch)).ShouldBeTrue();
        billing.IsAskedBy(new SubjectErasureRequested(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UnixEpoch, ["catalog", "billing"])).ShouldBeTrue();
        billing.IsAskedBy(new SubjectErasureRequested(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UnixEpoch, ["catalog"])).ShouldBeFalse();
        billing.IsAskedBy(new SubjectErasureRequested(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UnixEpoch, ["Billing"])).ShouldBeFalse("service names are exact");
    }

    [Fact]
    public void The_declaration_carries_the_inventory_as_declared_at_start_up()
    {
        var inventory = new PersonalDataInventory("billing", [Erased("contact")], "Stop charging.");
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        var declaration = inventory.ToDeclaration(at);

        declaration.ShouldBe(new PersonalDataInventoryDeclared("billing", inventory.Categories, "Stop charging.", at));
    }
}
