using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Certometer.Notifications.Delivery;
using Fluid;

namespace Certometer.Notifications.Templates;

/// <summary>A message rendered for one recipient, in the language it was rendered in.</summary>
public sealed record RenderedMessage(string Language, string Subject, string TextBody, string HtmlBody);

/// <summary>
/// The Liquid templates embedded in this assembly (<c>Templates/{Kind}/{language}.{subject|text|html}.liquid</c>),
/// rendered in the recipient's language where a translation exists and in English otherwise. Values are HTML-encoded
/// in the HTML part, so a name like <c>&lt;script&gt;</c> arrives as text.
/// </summary>
public sealed class MessageTemplates
{
    public const string FallbackLanguage = "en";
    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate?> _templates = new(StringComparer.Ordinal);

    public RenderedMessage Render(MessageKind kind, string? preferredLanguage, IReadOnlyDictionary<string, string> values)
    {
        var language = Candidates(preferredLanguage).First(candidate => Find(kind, candidate, "subject") is not null);
        var context = new TemplateContext();
        foreach (var (name, value) in values)
        {
            context.SetValue(name, value);
        }

        return new RenderedMessage(
            language,
            Find(kind, language, "subject")!.Render(context, NullEncoder.Default).Trim(),
            Find(kind, language, "text")!.Render(context, NullEncoder.Default),
            Find(kind, language, "html")!.Render(context, HtmlEncoder.Default));
    }

    // de-CH, then de, then English.
    private static IEnumerable<string> Candidates(string? preferred)
    {
        if (!string.IsNullOrWhiteSpace(preferred))
        {
            yield return preferred.ToLowerInvariant();
            var dash = preferred.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0)
            {
                yield return preferred[..dash].ToLowerInvariant();
            }
        }

        yield return FallbackLanguage;
    }

    private IFluidTemplate? Find(MessageKind kind, string language, string part) =>
        _templates.GetOrAdd($"{kind}.{language}.{part}", _ =>
        {
            var resource = $"{typeof(MessageTemplates).Namespace}.{kind}.{language}.{part}.liquid";
            using var stream = typeof(MessageTemplates).Assembly.GetManifestResourceStream(resource);
            if (stream is null)
            {
                return null;
            }

            using var reader = new StreamReader(stream);
            return Parser.TryParse(reader.ReadToEnd(), out var template, out var error)
                ? template
                : throw new InvalidOperationException($"Template {resource} does not parse: {error}");
        });
}
