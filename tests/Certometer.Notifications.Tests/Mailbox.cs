using System.Buffers;
using System.Collections.Concurrent;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Certometer.Notifications.Tests;

/// <summary>A real SMTP server on a loopback port that keeps every message it accepts, for tests to read.</summary>
public sealed class Mailbox : MessageStore, IAsyncDisposable
{
    // The recipients are read once, as a message arrives: MimeKit's address lists are not safe to enumerate from several
    // threads at once, and tests poll the mailbox concurrently.
    private readonly ConcurrentQueue<(string[] To, MimeMessage Message)> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public Mailbox(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(endpoint => endpoint.Port(port).Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(this);
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Received => [.. _received.Select(received => received.Message)];

    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. _received
            .Where(received => received.To.Any(to => string.Equals(to, address, StringComparison.OrdinalIgnoreCase)))
            .Select(received => received.Message)];

    public override async Task<SmtpResponse> SaveAsync(
        ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        await using var stream = new MemoryStream(buffer.ToArray());
        var message = await MimeMessage.LoadAsync(stream, cancellationToken);
        _received.Enqueue(([.. message.To.Mailboxes.Select(mailbox => mailbox.Address)], message));
        return SmtpResponse.Ok;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
