using Certometer.Contracts.Privacy;

namespace Certometer.HolderContract;

/// <summary>What personal data a service holds; declared to PrivacyRights at every start-up.</summary>
public sealed record PersonalDataInventory(string Service, IReadOnlyList<PersonalDataCategory> Categories, string OnRestriction)
{
    public PersonalDataInventoryDeclared ToDeclaration(DateTimeOffset declaredAt) => new(Service, Categories, OnRestriction, declaredAt);

    /// <summary>Whether a request to the holders is meant for this service: a repeated request names only the silent ones.</summary>
    public bool IsAskedBy(IHolderRequest request) =>
        request.Holders is null || request.Holders.Contains(Service, StringComparer.Ordinal);

    /// <summary>Checks what PrivacyRights relies on: unique names, and a legal basis and period for anything kept.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Service);
        var duplicate = Categories.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"{Service} declares the personal-data category '{duplicate.Key}' twice.");
        }

        foreach (var kept in Categories.Where(c => c.OnErasure != ErasureAction.Erase))
        {
            if (string.IsNullOrWhiteSpace(kept.RetentionLegalBasis) || kept.RetentionMonths is not > 0)
            {
                throw new InvalidOperationException(
                    $"{Service} keeps '{kept.Name}' on erasure ({kept.OnErasure}) but does not state a legal basis and a retention period.");
            }
        }
    }
}
