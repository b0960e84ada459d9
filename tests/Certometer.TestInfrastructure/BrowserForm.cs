using AngleSharp.Html.Parser;

namespace Certometer.TestInfrastructure;

/// <summary>Submits the form on a server-rendered page as a browser would: its hidden fields (antiforgery included) and action.</summary>
public static class BrowserForm
{
    /// <summary>Loads <paramref name="page"/> and posts its first form with <paramref name="typed"/> filled in.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient browser, Uri page, IReadOnlyDictionary<string, string> typed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(typed);
        var html = await browser.GetStringAsync(page, cancellationToken);
        var form = new HtmlParser().ParseDocument(html).QuerySelector("form")
            ?? throw new InvalidOperationException($"No form on {page}.");
        var fields = form.QuerySelectorAll("input[name]")
            .ToDictionary(input => input.GetAttribute("name")!, input => input.GetAttribute("value") ?? "");
        foreach (var (name, value) in typed)
        {
            fields[name] = value;
        }

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? page : new Uri(page, action);
        using var content = new FormUrlEncodedContent(fields);
        return await browser.PostAsync(target, content, cancellationToken);
    }
}
