using Certometer.HolderContract.Sealing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certometer.PrivacyRights.SubjectKeys;

/// <summary>
/// The key store's door for the other services: each asks, signed with its own holder key, for the key that seals or
/// opens a subject's personal values. Not for people, and not in the OpenAPI document frontends read.
/// </summary>
internal static class SubjectKeyEndpoints
{
    public static IEndpointRouteBuilder MapSubjectKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/privacy/subject-keys").ExcludeFromDescription();
        keys.MapPut("/{subjectId:guid}", GetOrCreate).RequireSignedServiceRequest();
        keys.MapGet("/{subjectId:guid}", Find).RequireSignedServiceRequest();
        return app;
    }

    /// <summary>For sealing: the subject's key, made on first use; 410 once their erasure destroyed it.</summary>
    private static async Task<Results<Ok<SubjectKeyResponse>, ProblemHttpResult>> GetOrCreate(
        Guid subjectId, SubjectKeyStore store, CancellationToken cancellationToken) =>
        await store.GetOrCreateAsync(subjectId, cancellationToken) is { } key ? TypedResults.Ok(Answer(key)) : Destroyed();

    /// <summary>For opening: the subject's key; 410 once destroyed, 404 when nothing was ever sealed for them.</summary>
    private static async Task<Results<Ok<SubjectKeyResponse>, ProblemHttpResult>> Find(
        Guid subjectId, SubjectKeyStore store, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(subjectId, cancellationToken) is { } key)
        {
            return TypedResults.Ok(Answer(key));
        }

        return await store.WasDestroyedAsync(subjectId, cancellationToken)
            ? Destroyed()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "This subject has no key.", detail: "Nothing was ever sealed for this subject.");
    }

    private static SubjectKeyResponse Answer(byte[] key) => new(Convert.ToBase64String(key));

    private static ProblemHttpResult Destroyed() => TypedResults.Problem(
        statusCode: StatusCodes.Status410Gone,
        title: "This subject's key is destroyed.",
        detail: "The subject was erased: nothing may be sealed for them any more, and nothing sealed for them can be opened.");
}
