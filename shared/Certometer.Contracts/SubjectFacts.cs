namespace Certometer.Contracts;

/// <summary>
/// An integration event that records something about one person, which a consumer may copy into its own tables.
/// </summary>
/// <remarks>
/// A personal-data holder that has erased <see cref="SubjectId"/> drops such an event instead of acting on it, however
/// late it arrives (a redelivery, a replay from an error queue, a broker outage): an erased person never comes back
/// through a stale fact. Privacy-workflow messages (requests to holders, notices to the subject) are not facts of this
/// kind; they must still reach an erased subject's holders and address.
/// </remarks>
public interface ISubjectFact
{
    Guid SubjectId { get; }
}
