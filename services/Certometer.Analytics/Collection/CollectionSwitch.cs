namespace Certometer.Analytics.Collection;

/// <summary>
/// Whether Analytics may collect a signed-in subject's usage, keyed by pseudonym like everything else here.
/// Collection needs a recorded yes and no restriction; a refusal, a withdrawal and an objection are all a recorded no.
/// </summary>
public sealed class CollectionSwitch
{
    public required string Pseudonym { get; init; }

    /// <summary>The subject's latest choice: true after consent, false after refusal, withdrawal or objection; null while none is known.</summary>
    public bool? CollectionAllowed { get; set; }

    /// <summary>When the consent ledger recorded the choice in <see cref="CollectionAllowed"/>.</summary>
    public DateTimeOffset? ChoiceMadeAt { get; set; }

    /// <summary>The ledger's sequence of that choice; a state with a lower one, arriving late, never replaces it.</summary>
    public long ConsentSequence { get; set; }

    /// <summary>Set while processing is restricted: nothing is collected, and stored events are left out of reports.</summary>
    public bool Restricted { get; set; }
}
