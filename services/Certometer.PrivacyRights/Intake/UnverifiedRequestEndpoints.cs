using Certometer.Contracts.Privacy;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Intake;

/// <summary>
/// Requests from people who cannot or will not sign in, verified by a one-time code that Identity has emailed to the
/// account with the address they typed. Anonymous on purpose, and rate-limited per client address.
/// </summary>
internal static partial class UnverifiedRequestEndpoints
{
    public const string PathPrefix = "/api/privacy/requests/unverified";

    public static IEndpointRouteBuilder MapUnverifiedRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var unverified = app.MapGroup(PathPrefix).WithTags("Requests").AllowAnonymous();
        // The same answer whether or not an account has the address, so the endpoint cannot be used to find accounts.
        unverified.MapPost("/", Start).WithName("StartUnverifiedPrivacyRequest")
            .WithSummary("Emails a one-time code to the account with this address, if there is one; the answer is the same either way.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        unverified.MapPost("/{verificationId}/verify", Verify).WithName("VerifyUnverifiedPrivacyRequest")
            .WithSummary("Makes the request once the emailed code is given; wrong codes are counted and the code expires.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Accepted<PendingVerification>, ValidationProblem>> Start(
        StartUnverifiedPrivacyRequest body,
        PrivacyRightsDbContext db,
        VerificationCodes codes,
        IOptions<RequestVerificationOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = RequestIntake.ValidKind(body.Kind, errors);
        var email = RequestIntake.ValidEmail(body.Email, errors, "email");
        if (email is null)
        {
            errors["email"] = ["The email address of the account the request is for."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var settings = options.Value;
        var now = StoredTime.Now(clock);
        var windowStart = now - settings.CodesPerAddress.Window;
        // The address as typed, matched without regard to case; its own wildcard characters are escaped.
        var address = LikeWildcards().Replace(email!, @"\$0");
        var sentToAddress = await db.RequestVerifications
            .CountAsync(v => v.Email != null && EF.Functions.ILike(v.Email, address, @"\") && v.CreatedAt > windowStart, cancellationToken);
        if (sentToAddress >= settings.CodesPerAddress.PermitLimit)
        {
            // The answer every start gets, so the limit tells nobody whether the address has an account; no code is sent,
            // and the id leads nowhere (verifying it is a 404 like any unknown one).
            var nowhere = Guid.CreateVersion7(now);
            return TypedResults.Accepted($"{PathPrefix}/{nowhere}/verify", new PendingVerification(nowhere, now + settings.CodeLifetime));
        }

        var code = VerificationCodes.NewCode();
        var verification = new RequestVerification
        {
            Id = Guid.CreateVersion7(now),
            Kind = kind!.Value,
            Email = email,
            CodeHash = "",
            CreatedAt = now,
            ExpiresAt = now + settings.CodeLifetime,
        };
        verification.CodeHash = codes.HashOf(verification.Id, code);

        // Expired verifications still hold the address typed; they go here rather than in a timer, since only new ones add more.
        var forgetBefore = now - settings.KeptAfterExpiry;
        await db.RequestVerifications.Where(v => v.ExpiresAt < forgetBefore).ExecuteDeleteAsync(cancellationToken);

        db.RequestVerifications.Add(verification);
        db.AddIntegrationEvent(new PrivacyRequestVerificationRequested(verification.Id, email!, verification.Kind, code, verification.ExpiresAt, now), clock);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"{PathPrefix}/{verification.Id}/verify", new PendingVerification(verification.Id, verification.ExpiresAt));
    }

    private static async Task<Results<Created<PrivacyRequestResponse>, ValidationProblem, ProblemHttpResult>> Verify(
        Guid verificationId,
        VerificationCode body,
        PrivacyRightsDbContext db,
        RequestIntake intake,
        VerificationCodes codes,
        IOptions<RequestVerificationOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var code = body.Code?.Trim();
        if (code is not { Length: VerificationCodes.Digits } || !code.All(char.IsAsciiDigit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["code"] = [$"The {VerificationCodes.Digits}-digit code from the email."],
            });
        }

        var maxAttempts = options.Value.MaxAttempts;
        // Under the verification's lock: attempts on it are counted one after another, never past the limit.
        return await RequestChanges.RunAsync<Results<Created<PrivacyRequestResponse>, ValidationProblem, ProblemHttpResult>>(
            db,
            verificationId,
            async ct =>
            {
                var verification = await db.RequestVerifications.SingleOrDefaultAsync(v => v.Id == verificationId, ct);
                if (verification is null)
                {
                    return TypedResults.Problem(
                        title: "There is no such verification.",
                        detail: "It never existed or expired long ago. Ask for a new code.",
                        statusCode: StatusCodes.Status404NotFound);
                }

                if (verification.UsedAt is not null)
                {
                    return Gone("This code has already been used.", "It made a request already; a code works once only.");
                }

                var now = StoredTime.Now(clock);
                if (now >= verification.ExpiresAt)
                {
                    return Gone("This code has expired.", "Ask for a new code.");
                }

                if (verification.FailedAttempts >= maxAttempts)
                {
                    return Gone("Too many wrong codes.", "This code can no longer be used. Ask for a new code.");
                }

                var matches = codes.Matches(verification.Id, code, verification.CodeHash);
                if (matches && verification.SubjectId is null)
                {
                    // Only someone who received the email can know the code, so saying this tells nobody else anything.
                    return TypedResults.Problem(
                        title: "The account is still being confirmed.",
                        detail: "Try the same code again in a few seconds; this attempt was not counted.",
                        statusCode: StatusCodes.Status409Conflict);
                }

                if (!matches)
                {
                    // An address no account has never gets a code: every attempt lands here, exactly as a wrong guess does.
                    verification.FailedAttempts++;
                    await db.SaveAndCommitAsync(ct);
                    var left = maxAttempts - verification.FailedAttempts;
                    return TypedResults.Problem(
                        title: "Wrong code.",
                        detail: left > 0 ? $"{left} attempts left." : "No attempts left. Ask for a new code.",
                        statusCode: StatusCodes.Status400BadRequest,
                        extensions: new Dictionary<string, object?> { ["attemptsLeft"] = left });
                }

                var subjectId = verification.SubjectId!.Value;
                var incoming = new IncomingRequest(subjectId, verification.Kind, verification.Email, RequestChannel.EmailVerified, subjectId.ToString("D"));
                var (request, duplicate) = await intake.ReceiveAsync(db, incoming, ct);
                if (duplicate is not null)
                {
                    return duplicate;
                }

                verification.UsedAt = now;
                verification.RequestId = request!.Id;
                // The address now lives on the request, as its contact address; nothing here can match a code again.
                verification.Email = null;
                verification.CodeHash = "";
                await db.SaveAndCommitAsync(ct);
                return TypedResults.Created($"/api/privacy/me/requests/{request.Id}", PrivacyRequestResponse.From(request, request.ReceivedAt));
            },
            cancellationToken);
    }

    private static ProblemHttpResult Gone(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status410Gone);

    [System.Text.RegularExpressions.GeneratedRegex(@"[\\%_]")]
    private static partial System.Text.RegularExpressions.Regex LikeWildcards();
}
