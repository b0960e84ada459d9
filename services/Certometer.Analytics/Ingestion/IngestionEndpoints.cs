using Certometer.Analytics.Collection;
using Certometer.Analytics.Data;
using Certometer.Analytics.Pseudonymity;
using Certometer.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Certometer.Analytics.Ingestion;

/// <summary>One page view as an app reports it. Nothing here may name a person; see each field for what is kept.</summary>
/// <param name="Page">Required: the site path visited (e.g. <c>/courses/azure-fundamentals</c>); any query or fragment is dropped.</param>
/// <param name="DeviceType">Required: <c>desktop</c>, <c>tablet</c>, <c>mobile</c> or <c>other</c>.</param>
/// <param name="Browser">A browser family (<c>chrome</c>, <c>edge</c>, <c>firefox</c>, <c>safari</c>, <c>opera</c>, <c>samsung-internet</c>, <c>other</c>), never the user-agent string.</param>
/// <param name="Language">The preferred language as a tag, e.g. <c>de-CH</c>.</param>
/// <param name="TimeZone">An IANA time-zone name, e.g. <c>Europe/Zurich</c>.</param>
/// <param name="ScreenWidth">Screen width in pixels; stored only as a bucket.</param>
/// <param name="ScreenHeight">Screen height in pixels; stored only as a bucket.</param>
/// <param name="Referrer">The referring page; only its origin and path are kept.</param>
/// <param name="ExitPage">The page the visitor left from; only its origin and path are kept.</param>
/// <param name="OccurredAt">Required: when the page was viewed; up to 7 days back, and not in the future.</param>
/// <param name="AnonymousId">Required without a token: a random (version 4) UUID the app generated and keeps; ignored with a token.</param>
public sealed record UsageEventRequest(
    string? Page,
    string? DeviceType,
    string? Browser = null,
    string? Language = null,
    string? TimeZone = null,
    int? ScreenWidth = null,
    int? ScreenHeight = null,
    string? Referrer = null,
    string? ExitPage = null,
    DateTimeOffset? OccurredAt = null,
    string? AnonymousId = null);

/// <summary>Several page views at once (mobile apps send what they queued); all are stored or none.</summary>
public sealed record UsageEventBatchRequest(IReadOnlyList<UsageEventRequest?>? Events);

internal static class IngestionEndpoints
{
    public const int MaxBatchSize = 100;

    /// <summary>
    /// The largest batch body read: a page view at every field's maximum is about 4,500 characters (two 2,048-character
    /// addresses), so a full batch is under 0.5 million, up to three bytes each in UTF-8. One page view fits the default.
    /// </summary>
    public const long MaxBatchBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous on purpose: visitors who never signed in are counted too (under their app's random id). A request that
        // does carry a token is still authenticated, explicitly, in Visitors.IdentifyAsync.
        var events = app.MapGroup("/api/analytics/events").WithTags("Ingestion").AllowAnonymous();
        events.MapPost("/", Record).WithName("RecordUsageEvent")
            .WithSummary("Records one page view. Answers 202 whether or not the visit is kept, so it reveals nobody's choices.");
        events.MapPost("/batch", RecordBatch).WithRequestBodyLimit(MaxBatchBytes).WithName("RecordUsageEvents")
            .WithSummary($"Records up to {MaxBatchSize} page views; if any is invalid, none is stored.");
        return app;
    }

    private static Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> Record(
        UsageEventRequest request, HttpContext http, UsageRecorder recorder, CancellationToken cancellationToken) =>
        recorder.RecordAsync(http, [request], batch: false, cancellationToken);

    private static Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> RecordBatch(
        UsageEventBatchRequest request, HttpContext http, UsageRecorder recorder, CancellationToken cancellationToken) =>
        recorder.RecordAsync(http, request.Events, batch: true, cancellationToken);
}

/// <summary>Validates page views, keys them to the visitor, and stores them unless the subject's choices forbid it.</summary>
internal sealed class UsageRecorder(
    AnalyticsDbContext db, Pseudonyms pseudonyms, ICoarseLocation coarseLocation, IOptions<IngestionOptions> options, TimeProvider clock)
{
    public async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> RecordAsync(
        HttpContext http, IReadOnlyList<UsageEventRequest?>? requests, bool batch, CancellationToken cancellationToken)
    {
        // Who is calling is settled before what they sent, so a bad token is a 401 whatever the body.
        var (visitor, refusal) = await Visitors.IdentifyAsync(http, pseudonyms);
        if (refusal is not null)
        {
            return refusal;
        }

        if (requests is not { Count: > 0 and <= IngestionEndpoints.MaxBatchSize })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["events"] = [$"Send between 1 and {IngestionEndpoints.MaxBatchSize} events."],
            });
        }

        // The address is used for this lookup only: it is never stored, logged or passed on.
        var location = coarseLocation.RegionOf(http.Connection.RemoteIpAddress);
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var events = new List<UsageEvent>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var usage = EventRules.Check(requests[i], batch ? $"events[{i}]." : "", visitor!, location, now, options.Value, errors);
            if (usage is not null)
            {
                events.Add(usage);
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (visitor!.Pseudonym is not { } pseudonym)
        {
            await UsageEventWriter.WriteAsync(db, events, cancellationToken);
            return TypedResults.Accepted((string?)null);
        }

        // A subject without consent, who objected or whose processing is restricted gets the same 202 as everyone else:
        // the visit is simply not kept, and the answer says nothing about anyone's choices. The switch is read and the
        // events written in one transaction, with the switch's row locked, so a withdrawal is never overtaken; the
        // transaction's start also refuses a subject this service has erased (the holder contract's guard).
        await db.InTransactionAsync(
            async ct =>
            {
                if (await CollectionSwitches.AllowCollectionAsync(db, pseudonym, ct))
                {
                    await UsageEventWriter.WriteAsync(db, events, ct);
                }

                await db.Database.CommitTransactionAsync(ct);
            },
            cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
