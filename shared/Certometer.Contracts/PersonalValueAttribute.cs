namespace Certometer.Contracts;

/// <summary>
/// Marks a property of an integration event that carries a person's own values (a name, an address, a code, their
/// exported records): it leaves the publisher sealed under the key of the event's <c>SubjectId</c>, and erasure
/// destroys that key.
/// </summary>
/// <remarks>
/// Whatever copy of the event outlives the erasure — in a queue, on the broker's disk, in a parked dead letter, in a
/// backup of an outbox — is then unreadable. The property must be a string or a map of strings, and the event must
/// have a <c>SubjectId</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PersonalValueAttribute : Attribute;
