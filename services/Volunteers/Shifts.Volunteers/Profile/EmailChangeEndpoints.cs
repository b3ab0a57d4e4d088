using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.Volunteers.Consent;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.People;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Profile;

public sealed record EmailChangeRequest(string? Email);

public sealed record EmailChangeConfirmed(Guid VolunteerId, string Email);

/// <summary>
/// A change of address, confirmed from the new address: <c>POST /api/me/email</c> mails a link to
/// it and changes nothing yet; <c>POST /api/me/email/confirm</c> with the link's token applies it,
/// tells the old address, and publishes VolunteerProfileChanged so every replica follows. An
/// address that belongs to someone else gets the same 202 (nobody learns it is taken); only its
/// owner, holding the link, is told so when confirming (409 <c>email-taken</c>).
/// </summary>
public static class EmailChangeEndpoints
{
    public const string EmailTaken = "email-taken";

    public static IEndpointRouteBuilder MapEmailChange(this IEndpointRouteBuilder app)
    {
        var email = app.MapGroup("/api/me/email").WithTags("Profile");
        email.MapPost("", RequestChange)
            .RequireAuthorization(ShiftsAuthentication.SignedIn)
            .WithSummary("Ask to change the caller's address (a confirmation link is mailed to the new one)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status429TooManyRequests);
        email.MapPost("/confirm", Confirm)
            .WithSummary("Confirm a change of address from the link mailed to the new address")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status409Conflict, EmailTaken)
            .ProducesProblems(StatusCodes.Status410Gone, ConsentLinks.Invalid)
            .ProducesProblems(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RequestChange(
        EmailChangeRequest request, HttpContext context, Caller caller, RateLimits limits, Transactions transactions,
        IConfiguration configuration, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TextRules.IsEmail(request.Email))
        {
            return Problem.Validation("email", "A valid email address of at most 254 characters is required.");
        }

        var email = request.Email!.Trim();
        if (await limits.LinkRequestAsync(context, email, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        return await transactions.RunAsync<Results<Accepted, ProblemHttpResult>>(async (tx, ct) =>
        {
            var me = await VolunteerRows.FindByIdAsync(tx, caller.RequiredId, ct);
            if (me is null)
            {
                return Problem.NotFound("There is no profile for this login any more.");
            }

            if (string.Equals(me.Email, email, StringComparison.OrdinalIgnoreCase))
            {
                return TypedResults.Accepted((string?)null); // nothing to change
            }

            var (token, hash) = ConsentLinks.NewToken();
            var now = time.GetUtcNow();
            var expiresAt = now + ConsentLinks.Lifetime(configuration);
            await tx.Connection!.ExecuteAsync(new CommandDefinition("""
                INSERT INTO email_changes (volunteer_id, token_hash, new_email, created_at, expires_at)
                VALUES (@volunteerId, @hash, @email, @now, @expiresAt)
                ON CONFLICT (volunteer_id) DO UPDATE SET token_hash = excluded.token_hash, new_email = excluded.new_email,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                """, new { volunteerId = me.Id, hash, email, now, expiresAt }, tx, cancellationToken: ct));

            await Outbox.EnqueueAsync(tx, new EmailChangeRequested(me.Id, email, me.Name, me.Locale,
                ConsentLinks.Link(configuration, ConsentLinks.EmailPath, token), expiresAt), ct);
            return TypedResults.Accepted((string?)null);
        }, cancellationToken);
    }

    private static async Task<Results<Ok<EmailChangeConfirmed>, ProblemHttpResult>> Confirm(
        ConfirmationRequest request, HttpContext context, RateLimits limits, Transactions transactions, TimeProvider time, CancellationToken cancellationToken)
    {
        var (hash, refusal) = await ConsentLinks.ReadTokenAsync(request.Token, context, limits, cancellationToken);
        if (hash is null)
        {
            return refusal!;
        }

        return await transactions.RunAsync<Results<Ok<EmailChangeConfirmed>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var change = await tx.Connection!.QuerySingleOrDefaultAsync<PendingChange>(new CommandDefinition(
                "DELETE FROM email_changes WHERE token_hash = @hash RETURNING volunteer_id, new_email, expires_at > @now AS usable",
                new { hash, now = time.GetUtcNow() }, tx, cancellationToken: ct));
            if (change is not { Usable: true })
            {
                return ConsentLinks.InvalidToken();
            }

            var (id, email) = (change.VolunteerId, change.NewEmail);
            var current = await ProfileEndpoints.LoadAsync(tx.Connection!, tx, id, forUpdate: true, ct);
            if (current is null)
            {
                return ConsentLinks.InvalidToken();
            }

            // Checked now, not when asked: the address may have been taken since. The unique index
            // on lower(email) settles a race with a registration; this check makes it a kind answer.
            var taken = await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM volunteers WHERE lower(email) = lower(@email) AND id <> @id)", new { email, id }, tx, cancellationToken: ct));
            if (taken)
            {
                return Problem.Conflict(EmailTaken,
                    "This address already belongs to another Shifts account, so it cannot be added to yours. Log in with it instead, or use another address.");
            }

            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE volunteers SET email = @email, updated_at = now() WHERE id = @id", new { email, id }, tx, cancellationToken: ct));

            var preferences = current.NotificationPreferences;
            await Outbox.EnqueueAsync(tx, new VolunteerProfileChanged(id, current.Name, email, current.Locale,
                new NotificationPreferences(preferences.Email, preferences.ReminderLeadTimes, preferences.QuietHours?.From, preferences.QuietHours?.To)), ct);
            await Outbox.EnqueueAsync(tx, new EmailChanged(id, current.Email, email, current.Name, current.Locale), ct);
            return TypedResults.Ok(new EmailChangeConfirmed(id, email));
        }, cancellationToken);
    }

    private sealed record PendingChange(Guid VolunteerId, string NewEmail, bool Usable)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private PendingChange()
            : this(default!, default!, default!)
        {
        }
    }
}
