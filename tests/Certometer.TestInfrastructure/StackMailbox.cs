using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Certometer.TestInfrastructure;

/// <summary>The stack's mail server (smtp4dev) as a reader sees it: what reached one address.</summary>
/// <param name="mailApi">smtp4dev's HTTP endpoint.</param>
public sealed partial class StackMailbox(Uri mailApi) : IDisposable
{
    /// <summary>The subject line of the sign-up confirmation, in English.</summary>
    public const string SignUpConfirmationSubject = "Confirm your email address for Certometer";

    private readonly HttpClient _api = new() { BaseAddress = mailApi };

    /// <summary>
    /// Completes a sign-up the way its person does: waits for the confirmation email to <paramref name="address"/>,
    /// and posts the link's account and token to Identity's confirmation endpoint. Returns the new account's id.
    /// </summary>
    public async Task<Guid> ConfirmSignUpAsync(Uri identity, string address, CancellationToken cancellationToken)
    {
        // Longer than the usual wait: every sign-up of a parallel test run queues behind the same Notifications sender.
        var text = await Eventually.ValueAsync(
            () => TextAsync(address, SignUpConfirmationSubject), $"the sign-up link reached {address}", TimeSpan.FromMinutes(2), cancellationToken);
        var link = ConfirmationLink.Parse(LinkPattern().Match(text).Value);
        using var http = new HttpClient { BaseAddress = identity };
        using var confirmed = await http.PostAsJsonAsync("/api/accounts/email-confirmations", link.Body, cancellationToken);
        if (confirmed.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"Confirmation refused: {(int)confirmed.StatusCode} {await confirmed.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return link.SubjectId;
    }

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

    [GeneratedRegex(@"https?://\S+/account/confirm-email\?\S+")]
    private static partial Regex LinkPattern();

    private async Task<List<JsonElement>> MessagesToAsync(string address)
    {
        using var page = JsonDocument.Parse(await _api.GetStringAsync($"/api/messages?searchTerms={Uri.EscapeDataString(address)}&pageSize=50"));
        return [.. page.RootElement.GetProperty("results").EnumerateArray()
            .Where(message => message.GetProperty("to").EnumerateArray().Any(to => string.Equals(to.GetString(), address, StringComparison.OrdinalIgnoreCase)))
            .Select(message => message.Clone())];
    }
}
