namespace Certometer.Catalog.Learners;

/// <summary>Catalog's copy of what it needs to know about a learner: the name to print on certificates, and a restriction flag.</summary>
public sealed class Learner
{
    public const int NameMaxLength = 200;

    public Guid SubjectId { get; init; }

    /// <summary>Null until Identity tells us (registration or rectification).</summary>
    public string? Name { get; set; }

    /// <summary>The learner asked that their data be kept but not processed beyond what they themselves request.</summary>
    public bool ProcessingRestricted { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
