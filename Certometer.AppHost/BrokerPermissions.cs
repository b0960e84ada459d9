using System.Reflection;
using System.Text.RegularExpressions;
using Certometer.Contracts;

namespace Certometer.AppHost;

/// <summary>
/// One service's RabbitMQ permissions (regular expressions over exchange and queue names), derived from the
/// <see cref="PublishedByAttribute"/> on each contract: the contracts say who publishes what, the broker enforces it.
/// </summary>
internal sealed record BrokerPermissions(string Configure, string Write, string Read)
{
    // MassTransit names a message type's exchange "<namespace>:<type>", and each service's queues (with their error
    // and skipped queues) "<service>-<consumer>"; the bus's own reply queue is "<host>_<process>_bus_<id>".
    private const string ContractExchanges = @"Certometer\.Contracts(\.[A-Za-z]+)*:[A-Za-z]+";
    private const string BusReplyQueues = @"[^:]+_bus_[a-z0-9]+";

    public static BrokerPermissions For(string service)
    {
        var ownQueues = $"{Regex.Escape(service)}-.*";
        // MassTransit binds a message's exchange to one per contract interface it implements (ISubjectFact, say), and
        // binding needs write permission on the interface's exchange. Nothing consumes those interfaces, so writing to
        // them reaches no one.
        var published = PublishedMessagesOf(service)
            .SelectMany(type => type.GetInterfaces().Where(contract => contract.Assembly == type.Assembly).Prepend(type))
            .Select(type => Regex.Escape(ExchangeOf(type)))
            .Distinct();
        return new BrokerPermissions(
            // Declaring a contract exchange is idempotent and needed by both sides; writing to it is what publishing is.
            Configure: $"^({ownQueues}|{ContractExchanges}|{BusReplyQueues})$",
            Write: $"^({string.Join('|', [ownQueues, BusReplyQueues, .. published])})$",
            Read: $"^({ownQueues}|{ContractExchanges}|{BusReplyQueues})$");
    }

    /// <summary>Every service a contract names as its publisher must be one the AppHost runs; a typo would refuse its messages.</summary>
    public static void CheckPublishersAreKnown(IReadOnlyCollection<string> services)
    {
        var unknown = Contracts()
            .SelectMany(type => PublishersOf(type).Select(publisher => (type, publisher)))
            .Where(pair => pair.publisher != PublishedByAttribute.EveryHolder && !services.Contains(pair.publisher))
            .Select(pair => $"{pair.type.Name} names '{pair.publisher}'")
            .ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"Contracts name publishers the AppHost does not run ({string.Join("; ", unknown)}); known services: {string.Join(", ", services)}.");
        }
    }

    private static IEnumerable<Type> PublishedMessagesOf(string service) =>
        Contracts().Where(type => PublishersOf(type).Any(publisher => publisher == service || publisher == PublishedByAttribute.EveryHolder));

    private static IEnumerable<Type> Contracts() =>
        typeof(PublishedByAttribute).Assembly.GetExportedTypes().Where(type => type.GetCustomAttribute<PublishedByAttribute>() is not null);

    private static IReadOnlyList<string> PublishersOf(Type type) => type.GetCustomAttribute<PublishedByAttribute>()?.Services ?? [];

    private static string ExchangeOf(Type type) => $"{type.Namespace}:{type.Name}";
}
