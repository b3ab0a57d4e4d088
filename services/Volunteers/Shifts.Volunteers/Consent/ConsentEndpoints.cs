using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;
using Shifts.Volunteers.Login;
using Shifts.Volunteers.Memberships;
using Shifts.Volunteers.Organisations;
using Shifts.Volunteers.People;
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

/// <summary>The state an invitation is listed with.</summary>
public static class InvitationStates
{
    public const string Pending = "pending";
    public const string Expired = "expired";
}

/// <summary>
/// Double opt-in: <c>POST /api/memberships/confirm</c> turns a pending request into a membership
/// (the only way anyone becomes a member), and coordinators see and withdraw their organisation's
/// pending invitations. Sign-ups of one's own are not listed: until the click they are between the
/// address and this service.
/// </summary>
public static class ConsentEndpoints
{
    public const int MaxInvitationsListed = 200;

    public static IEndpointRouteBuilder MapConsent(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/memberships/confirm", Confirm)
            .WithTags("Consent")
            .WithSummary("Confirm a membership request from its mailed link (a new person gets their first session)")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status410Gone, ConsentLinks.Invalid)
            .ProducesProblems(StatusCodes.Status429TooManyRequests);
        var invitations = app.MapGroup("/api/orgs/{org}/members/invitations").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Members");
        invitations.MapGet("/", ListInvitations)
            .WithSummary("List the organisation's invitations as the coordinators typed them (coordinators)")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        invitations.MapDelete("/{id:guid}", Withdraw)
            .WithSummary("Withdraw a pending invitation (coordinators)")
            .ProducesProblems(StatusCodes.Status403Forbidden)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<ConfirmedMembership>, ProblemHttpResult>> Confirm(
        ConfirmationRequest request, HttpContext context, RateLimits limits, Transactions transactions, AccessTokens tokens, IOptions<TokenSettings> settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var (hash, refusal) = await ConsentLinks.ReadTokenAsync(request.Token, context, limits, cancellationToken);
        if (hash is null)
        {
            return refusal!;
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
            if (await MembershipRows.AddAsync(tx, volunteer.Id, organisation, role, ct))
            {
                // The qualifications asked for, as far as the organisation still has them.
                var unknown = await MemberQualifications.UnknownCodesAsync(tx, organisation.Id, pending.Qualifications, ct);
                var codes = pending.Qualifications.Except(unknown, StringComparer.Ordinal).ToArray();
                if (codes.Length > 0)
                {
                    await MemberQualifications.ReplaceAsync(tx, volunteer.Id, organisation, codes, ct);
                }
            }
            else
            {
                role = await MembershipRows.LockRoleAsync(tx, volunteer.Id, organisation.Id, ct) ?? role;
            }

            await MembershipRequests.ForgetForAddressAsync(tx, organisation.Id, pending.Email, ct);
            if (!created)
            {
                return new Confirmed(volunteer.Id, organisation.Slug, role, null, null);
            }

            // A new person's first session, opened as POST /api/auth/sessions opens one: in this
            // transaction, with a refresh-token family of its own.
            var subject = await TokenSubjects.LoadAsync(tx, volunteer.Id, ct);
            var refreshToken = await RefreshTokens.OpenFamilyAsync(tx, volunteer.Id, settings.Value.RefreshTokenLifetime, settings.Value.SessionLifetime, time.GetUtcNow(), ct);
            return new Confirmed(volunteer.Id, organisation.Slug, role, subject, refreshToken);
        }, cancellationToken);

        if (confirmed is null)
        {
            return ConsentLinks.InvalidToken();
        }

        var session = confirmed is { Subject: { } subject, RefreshToken: { } refresh }
            ? Session.Of(tokens, subject, refresh)
            : null;
        return TypedResults.Ok(new ConfirmedMembership(confirmed.Id, confirmed.Org, confirmed.Role, session));
    }

    private sealed record Confirmed(Guid Id, string Org, string Role, TokenSubject? Subject, string? RefreshToken);

    private static async Task<Results<Ok<InvitationList>, ProblemHttpResult>> ListInvitations(
        string org, Caller caller, Transactions transactions, TimeProvider time, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<Ok<InvitationList>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.Coordinator,
                "Only coordinators of the organisation can see its invitations.", ct);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            var organisation = access.Organisation;
            var now = time.GetUtcNow();
            var rows = await tx.Connection!.QueryAsync<InvitationRow>(new CommandDefinition($"""
                SELECT id, email, name, role, qualifications, created_at, expires_at
                FROM membership_requests
                WHERE org_id = @orgId AND kind = '{MembershipRequests.InvitationKind}'
                ORDER BY created_at DESC, id DESC
                LIMIT @limit
                """, new { orgId = organisation.Id, limit = MaxInvitationsListed }, tx, cancellationToken: ct));
            var items = rows.Select(r => new InvitationView(r.Id, r.Email, r.Name, r.Role, r.Qualifications,
                r.ExpiresAt > now ? InvitationStates.Pending : InvitationStates.Expired, r.CreatedAt, r.ExpiresAt)).ToList();

            // Addresses, so the read is recorded like a read of the member list.
            await MembershipRows.LogContactAccessAsync(tx, caller, organisation.Id, ContactReads.Invitations, items.Count, now, ct);
            return TypedResults.Ok(new InvitationList(items));
        }, cancellationToken);

    private sealed record InvitationRow(Guid Id, string Email, string Name, string Role, string[] Qualifications, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private InvitationRow()
            : this(default!, default!, default!, default!, default!, default!, default!)
        {
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Withdraw(
        string org, Guid id, Caller caller, Transactions transactions, CancellationToken cancellationToken) =>
        await transactions.RunAsync<Results<NoContent, ProblemHttpResult>>(async (tx, ct) =>
        {
            var access = await OrganisationAccess.RequireAsync(tx, org, caller, Requirement.CoordinatorOrPlatformAdmin,
                "Only coordinators of the organisation can withdraw its invitations.", ct);
            if (!access.Granted)
            {
                return access.Refusal;
            }

            var withdrawn = await tx.Connection!.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM membership_requests WHERE id = @id AND org_id = @orgId AND kind = '{MembershipRequests.InvitationKind}'",
                new { id, orgId = access.Organisation.Id }, tx, cancellationToken: ct));
            return withdrawn == 1
                ? TypedResults.NoContent()
                : Problem.NotFound("There is no such pending invitation (it may have been confirmed, withdrawn or expired).");
        }, cancellationToken);
}
