using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Testcontainers.RabbitMq;

namespace Certometer.TestInfrastructure;

/// <summary>
/// Isolates tests that share one broker: each gets its own virtual host, so an event one test publishes never
/// reaches another test's consumers (a fan-out exchange would otherwise deliver it to every bound queue).
/// </summary>
public static class BrokerVirtualHosts
{
    /// <summary>Creates a virtual host and returns an AMQP address that connects to it.</summary>
    public static async Task<string> CreateVirtualHostAsync(this RabbitMqContainer broker, string prefix)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var virtualHost = $"{prefix}-{Guid.NewGuid():N}";
        using var management = Management(broker);
        await management.CreateVirtualHostAsync(virtualHost);
        return new UriBuilder(broker.GetConnectionString()) { Path = "/" + Uri.EscapeDataString(virtualHost) }.Uri.ToString();
    }

    /// <summary>The queues of a virtual host with how many messages each holds right now.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> QueueDepthsAsync(this RabbitMqContainer broker, string amqpAddress)
    {
        using var management = Management(broker);
        return await management.QueueDepthsAsync(VirtualHostOf(amqpAddress));
    }

    /// <summary>The bodies of the messages in <paramref name="queue"/>, read through the management API and left in place.</summary>
    public static async Task<IReadOnlyList<string>> PeekAsync(this RabbitMqContainer broker, string amqpAddress, string queue)
    {
        using var management = Management(broker);
        return await management.PeekAsync(VirtualHostOf(amqpAddress), queue);
    }

    /// <summary>Binds a queue of the test's own to <typeparamref name="TMessage"/>'s exchange (<see cref="BrokerManagement.TapAsync{TMessage}"/>).</summary>
    public static async Task<string> TapAsync<TMessage>(this RabbitMqContainer broker, string amqpAddress)
    {
        using var management = Management(broker);
        return await management.TapAsync<TMessage>(VirtualHostOf(amqpAddress));
    }

    private static string VirtualHostOf(string amqpAddress) => Uri.UnescapeDataString(new Uri(amqpAddress).AbsolutePath.TrimStart('/'));

    private static BrokerManagement Management(RabbitMqContainer broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return BrokerManagement.For(
            new Uri($"http://{broker.Hostname}:{broker.GetMappedPublicPort(InfrastructureContainers.ManagementPort)}/"), new Uri(broker.GetConnectionString()));
    }
}

/// <summary>RabbitMQ's management API as tests use it: to see what the broker itself holds, raw.</summary>
public sealed class BrokerManagement : IDisposable
{
    private readonly HttpClient _http;

    private BrokerManagement(HttpClient http, string user)
    {
        _http = http;
        User = user;
    }

    public string User { get; }

    /// <summary>The management API at <paramref name="managementAddress"/>, as the user of the AMQP address <paramref name="amqpAddress"/>.</summary>
    public static BrokerManagement For(Uri managementAddress, Uri amqpAddress)
    {
        ArgumentNullException.ThrowIfNull(amqpAddress);
        var credentials = amqpAddress.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(credentials[0]);
        var password = Uri.UnescapeDataString(credentials[1]);
        var http = new HttpClient { BaseAddress = managementAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return new BrokerManagement(http, user);
    }

    public async Task CreateVirtualHostAsync(string virtualHost)
    {
        var path = Uri.EscapeDataString(virtualHost);
        (await _http.PutAsync($"api/vhosts/{path}", null)).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync($"api/permissions/{path}/{Uri.EscapeDataString(User)}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    public async Task<IReadOnlyDictionary<string, long>> QueueDepthsAsync(string virtualHost)
    {
        var queues = await _http.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{Uri.EscapeDataString(virtualHost)}") ?? [];
        return queues.ToDictionary(queue => queue.Name, queue => queue.Messages ?? 0);
    }

    /// <summary>
    /// The bodies of the messages in <paramref name="queue"/>, left in place; none while the queue does not exist yet
    /// (MassTransit declares an error queue only when the first message fails).
    /// </summary>
    public async Task<IReadOnlyList<string>> PeekAsync(string virtualHost, string queue)
    {
        using var response = await _http.PostAsJsonAsync(
            $"api/queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}/get",
            new { count = 1000, ackmode = "ack_requeue_true", encoding = "auto" });
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        var messages = await response.Content.ReadFromJsonAsync<List<PeekedMessage>>() ?? [];
        return [.. messages.Select(message => message.Payload)];
    }

    /// <summary>
    /// Declares a queue of the test's own bound to the exchange MassTransit publishes <typeparamref name="TMessage"/> to,
    /// so that the bodies it then receives can be read raw with <see cref="PeekAsync"/>: what a broker's disk would keep.
    /// </summary>
    public async Task<string> TapAsync<TMessage>(string virtualHost)
    {
        var host = Uri.EscapeDataString(virtualHost);
        var exchange = Uri.EscapeDataString($"{typeof(TMessage).Namespace}:{typeof(TMessage).Name}");
        var queue = $"tap-{typeof(TMessage).Name}-{Guid.NewGuid():N}";
        (await _http.PutAsJsonAsync($"api/exchanges/{host}/{exchange}", new { type = "fanout", durable = true })).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync($"api/queues/{host}/{queue}", new { durable = false })).EnsureSuccessStatusCode();
        (await _http.PostAsJsonAsync($"api/bindings/{host}/e/{exchange}/q/{queue}", new { routing_key = "" })).EnsureSuccessStatusCode();
        return queue;
    }

    public async Task DeleteQueueAsync(string virtualHost, string queue) =>
        (await _http.DeleteAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}")).EnsureSuccessStatusCode();

    public void Dispose() => _http.Dispose();

    private sealed record QueueInfo(string Name, long? Messages);

    private sealed record PeekedMessage(string Payload);
}
