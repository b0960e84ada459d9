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
        using var management = Management(broker, out var user);
        var path = Uri.EscapeDataString(virtualHost);
        (await management.PutAsync($"api/vhosts/{path}", null)).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync(
            $"api/permissions/{path}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();

        return new UriBuilder(broker.GetConnectionString()) { Path = "/" + path }.Uri.ToString();
    }

    /// <summary>The queues of a virtual host with how many messages each holds right now.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> QueueDepthsAsync(this RabbitMqContainer broker, string amqpAddress)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var virtualHost = new Uri(amqpAddress).AbsolutePath.TrimStart('/');
        using var management = Management(broker, out _);
        var queues = await management.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{virtualHost}") ?? [];
        return queues.ToDictionary(queue => queue.Name, queue => queue.Messages ?? 0);
    }

    /// <summary>The bodies of the messages in <paramref name="queue"/>, read through the management API and left in place.</summary>
    public static async Task<IReadOnlyList<string>> PeekAsync(this RabbitMqContainer broker, string amqpAddress, string queue)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var virtualHost = new Uri(amqpAddress).AbsolutePath.TrimStart('/');
        using var management = Management(broker, out _);
        using var response = await management.PostAsJsonAsync(
            $"api/queues/{virtualHost}/{Uri.EscapeDataString(queue)}/get",
            new { count = 1000, ackmode = "ack_requeue_true", encoding = "auto" });
        response.EnsureSuccessStatusCode();
        var messages = await response.Content.ReadFromJsonAsync<List<PeekedMessage>>() ?? [];
        return [.. messages.Select(message => message.Payload)];
    }

    private static HttpClient Management(RabbitMqContainer broker, out string user)
    {
        var credentials = new Uri(broker.GetConnectionString()).UserInfo.Split(':', 2);
        user = Uri.UnescapeDataString(credentials[0]);
        var password = Uri.UnescapeDataString(credentials[1]);
        var client = new HttpClient
        {
            BaseAddress = new Uri($"http://{broker.Hostname}:{broker.GetMappedPublicPort(InfrastructureContainers.ManagementPort)}/"),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    private sealed record QueueInfo(string Name, long? Messages);

    private sealed record PeekedMessage(string Payload);
}
