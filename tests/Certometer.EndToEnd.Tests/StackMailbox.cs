using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace Certometer.EndToEnd.Tests;

/// <summary>The stack's mail server (smtp4dev) as a reader sees it: what reached one address.</summary>
public sealed class StackMailbox(DistributedApplication app) : IDisposable
{
    private readonly HttpClient _api = new() { BaseAddress = app.GetEndpoint("mail", "http") };

    /// <summary>The subject lines of every message delivered to <paramref name="address"/>, newest first.</summary>
    public async Task<string[]> SubjectsAsync(string address) =>
        [.. (await MessagesToAsync(address)).Select(message => message.GetProperty("subject").GetString()!)];

    /// <summary>The text part of the newest message to <paramref name="address"/> with <paramref name="subject"/>; null until one arrives.</summary>
    public async Task<string?> TextAsync(string address, string subject)
    {
        var message = (await MessagesToAsync(address)).FirstOrDefault(m => m.GetProperty("subject").GetString() == subject);
        return message.ValueKind == JsonValueKind.Undefined
            ? null
            : await _api.GetStringAsync($"/api/messages/{message.GetProperty("id").GetString()}/plaintext");
    }

    public void Dispose() => _api.Dispose();

    private async Task<List<JsonElement>> MessagesToAsync(string address)
    {
        using var page = JsonDocument.Parse(await _api.GetStringAsync($"/api/messages?searchTerms={Uri.EscapeDataString(address)}&pageSize=50"));
        return [.. page.RootElement.GetProperty("results").EnumerateArray()
            .Where(message => message.GetProperty("to").EnumerateArray().Any(to => string.Equals(to.GetString(), address, StringComparison.OrdinalIgnoreCase)))
            .Select(message => message.Clone())];
    }
}
