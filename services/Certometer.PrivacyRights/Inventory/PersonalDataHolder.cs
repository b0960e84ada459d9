namespace Certometer.PrivacyRights.Inventory;

/// <summary>A service that has declared it holds personal data: the registry the privacy fan-outs wait on.</summary>
public sealed class PersonalDataHolder
{
    public required string Service { get; init; }

    /// <summary>The declared categories as JSON, exactly as the holder sent them.</summary>
    public required string Categories { get; set; }

    public required string OnRestriction { get; set; }

    /// <summary>When the holder made the declaration this row reflects; an older declaration never overwrites a newer one.</summary>
    public DateTimeOffset DeclaredAt { get; set; }
}
