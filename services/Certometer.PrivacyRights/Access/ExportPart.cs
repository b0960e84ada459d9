namespace Certometer.PrivacyRights.Access;

/// <summary>One holder's part of an access or portability export, kept only until the package is compiled.</summary>
public sealed class ExportPart
{
    public required Guid RequestId { get; init; }

    public required string Service { get; init; }

    /// <summary>The holder's JSON object, unchanged.</summary>
    public required string Content { get; init; }

    public required int RecordCount { get; init; }

    public required DateTimeOffset ExportedAt { get; init; }
}

/// <summary>A compiled access or portability package: the subject's data from every holder, until it expires.</summary>
public sealed class AccessPackage
{
    public required Guid RequestId { get; init; }

    /// <summary>Only this subject can download the package.</summary>
    public required Guid SubjectId { get; init; }

    /// <summary>The machine-readable package: one JSON document with every holder's part.</summary>
    public required string Content { get; init; }

    /// <summary>The readable summary: what each holder holds and how many records.</summary>
    public required string Summary { get; init; }

    public required DateTimeOffset CompiledAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}
