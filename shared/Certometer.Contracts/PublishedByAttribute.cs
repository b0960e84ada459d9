namespace Certometer.Contracts;

/// <summary>
/// The services that may publish this message, by the name each declares (its AppHost resource name). The broker
/// enforces it: each service's broker user may write only to the exchanges of the messages that name it.
/// </summary>
/// <remarks>
/// A message no service names cannot be published at all: the broker refuses it, and the end-to-end tests, which
/// publish every message, fail on the refusal.
/// Holder answers name <see cref="EveryHolder"/>: the broker cannot tell holders apart by what they send, so
/// PrivacyRights tells them apart by each holder's signature on its answer.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublishedByAttribute(params string[] services) : Attribute
{
    /// <summary>Every personal-data holder, PrivacyRights included.</summary>
    public const string EveryHolder = "*";

    public IReadOnlyList<string> Services { get; } = services;
}
