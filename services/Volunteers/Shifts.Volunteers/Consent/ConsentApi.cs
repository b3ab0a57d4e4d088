using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.Members;
using Shifts.Volunteers.Organisations;
using Shifts.Volunteers.Tokens;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Consent;

public sealed record ConfirmationRequest(string? Token);

/// <summary>
/// The membership a confirmation made (or found: confirming as a member changes nothing), and for a
/// person who did not exist before, their first session (as POST /api/auth/sessions answers).
/// </summary>
public sealed record ConfirmedMembership(Guid VolunteerId, string Org, string Role, Session? Session);

/// <summary>An invitation as the coordinator typed it; nothing from the record of a person who may own the address.</summary>
public sealed record InvitationView(Guid Id, string Email, string Name, string Role, IReadOnlyList<string> Qualifications, string State, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public sealed record InvitationList(IReadOnlyList<InvitationView> Items);

/// <summary>
/// Double opt-in: <c>POST /api/memberships/confirm</c> turns a pending request into a membership
/// (the only way anyone becomes a member), and coordinators see and withdraw their organisation's
/// pending invitations. Sign-ups of one's own are not listed: until the click they are between the
/// address and this service.
/// </summary>
public static class ConsentApi
{
    public const int MaxInvitationsListed = 200;

    public static IEndpointRouteBuilder MapConsent(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/memberships/confirm", Confirm);
        var invitations = app.MapGroup("/api/orgs/{org}/members/invitations").RequireAuthorization(ShiftsAuthentication.SignedIn);
        invitations.MapGet("/", ListInvitations);
        invitations.MapDelete("/{id:guid}", Withdraw);
        return app;
    }

    /// <summary>One answer for unknown, used and expired tokens (410): none of them says more than the others.</summary>
    internal static ProblemHttpResult InvalidToken() =>
        Problem.Create(StatusCodes.Status410Gone, ConsentLinks.Invalid, "Confirmation link invalid",
            "This confirmation link is invalid, used or expired. Ask for a new one.");

    private static async Task<Results<Ok<ConfirmedMembership>, ProblemHttpResult>> Confirm(
        ConfirmationRequest request, HttpContext context, RateLimits limits, Transactions transactions, AccessTokens tokens, IOptions<TokenSettings> settings, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            return Problem.Validation("token", "'token' is required: the token from the confirmation link.");
        }

        if (request.Token.Length > 200)
        {
            return Problem.Validation("token", "'token' may be at most 200 characters long.");
        }

        if (await limits.SessionRequestAsync(context, cancellationToken) is { } tooMany)
        {
            return tooMany;
        }

        var hash = ConsentLinks.HashOf(request.Token);
        if (hash is null)
        {
            return InvalidToken();
        }

        var confirmed = await transactions.RunAsync<Confirmed?>(async (tx, ct) =>
        {
            var pending = await MembershipRequests.TakeAsync(tx, hash, time.GetUtcNow(), ct);
            if (pending is null || await Organisation.FindAsync(tx, pending.Org, ct) is not { } organisation)
            {
                return null;
            }

            var (volunteer, created) = await VolunteerRows.FindOrRegisterAsync(tx, pending.Email, pending.Name, pending.Locale, ct);
            var role = pending.Role;
            if (await Memberships.AddAsync(tx, volunteer.Id, organisation, role, ct))
            {
                // The qualifications asked for, as far as the organisation still has them.
                var unknown = await MembersApi.UnknownCodesAsync(tx, organisation.Id, pending.Qualifications, ct);
                var codes = pending.Qualifications.Except(unknown, StringComparer.Ordinal).ToArray();
                if (codes.Length > 0)
                {
                    await MembersApi.ReplaceQualificationsAsync(tx, volunteer.Id, organisation, codes, ct);
                }
            }
            else
            {
                role = await Memberships.LockRoleAsync(tx, volunteer.Id, organisation.Id, ct) ?? role;
            }

            await MembershipRequests.ForgetForAddressAsync(tx, organisation.Id, pending.Email, ct);
            if (!created)
            {
                return new Confirmed(volunteer.Id, organisation.Slug, role, null, null);
            }

            // A new person's first session, opened as POST /api/auth/sessions opens one: in this
            // transaction, with a refresh-token family of its own.
            var subject = await SessionsApi.LoadSubjectAsync(tx, volunteer.Id, ct);
            var refreshToken = await RefreshTokens.OpenFamilyAsync(tx, volunteer.Id, settings.Value.RefreshTokenLifetime, settings.Value.SessionLifetime, time.GetUtcNow(), ct);
            return new Confirmed(volunteer.Id, organisation.Slug, role, subject, refreshToken);
        }, cancellationToken);

        if (confirmed is null)
        {
            return InvalidToken();
        }

        var session = confirmed is { Subject: { } subject, RefreshToken: { } refresh }
            ? new Session(tokens.Issue(subject), "Bearer", (int)tokens.Lifetime.TotalSeconds, refresh)
            : null;
        return TypedResults.Ok(new ConfirmedMembership(confirmed.Id, confirmed.Org, confirmed.Role, session));
    }

    private sealed record Confirmed(Guid Id, string Org, string Role, TokenSubject? Subject, string? RefreshToken);

    private static async Task<Results<Ok<InvitationList>, ProblemHttpResult>> ListInvitations(
        string org, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<Ok<InvitationList>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.IsCoordinatorOf(organisation.Slug))
            {
                return Problem.Forbidden("Only coordinators of the organisation can see its invitations.");
            }

            var now = time.GetUtcNow();
            await using var command = new NpgsqlCommand("""
                SELECT id, email, name, role, qualifications, created_at, expires_at
                FROM membership_requests
                WHERE org_id = @org AND kind = 'invitation'
                ORDER BY created_at DESC, id DESC
                LIMIT @limit
                """, tx.Connection, tx);
            command.Parameters.AddWithValue("org", organisation.Id);
            command.Parameters.AddWithValue("limit", MaxInvitationsListed);
            var items = new List<InvitationView>();
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var expiresAt = reader.GetFieldValue<DateTimeOffset>(6);
                    items.Add(new InvitationView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        reader.GetFieldValue<string[]>(4), expiresAt > now ? "pending" : "expired", reader.GetFieldValue<DateTimeOffset>(5), expiresAt));
                }
            }

            // Addresses, so the read is recorded like a read of the member list.
            await Memberships.LogContactAccessAsync(tx, caller, organisation.Id, "invitations", items.Count, now, ct);
            return TypedResults.Ok(new InvitationList(items));
        }, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> Withdraw(
        string org, Guid id, Caller caller, Transactions transactions, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<NoContent, ProblemHttpResult>>(async (tx, ct) =>
        {
            var organisation = await Organisation.FindAsync(tx, org, ct);
            if (organisation is null)
            {
                return Problem.NotFound($"There is no organisation '{org}'.");
            }

            if (!caller.IsCoordinatorOf(organisation.Slug) && !caller.MayAdminister(organisation.Slug))
            {
                return Problem.Forbidden("Only coordinators of the organisation can withdraw its invitations.");
            }

            await using var command = new NpgsqlCommand(
                "DELETE FROM membership_requests WHERE id = @id AND org_id = @org AND kind = 'invitation'", tx.Connection, tx);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("org", organisation.Id);
            return await command.ExecuteNonQueryAsync(ct) == 1
                ? TypedResults.NoContent()
                : Problem.NotFound("There is no such pending invitation (it may have been confirmed, withdrawn or expired).");
        }, cancellationToken);
}
