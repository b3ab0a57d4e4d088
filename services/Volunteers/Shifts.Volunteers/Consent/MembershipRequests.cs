using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.Volunteers.Organisations;

namespace Shifts.Volunteers.Consent;

/// <summary>What someone asked for an address: which organisation, as whom, with which role and qualifications.</summary>
public sealed record MembershipAsk(string Kind, string Email, string Name, string Locale, string Role, string[] Qualifications, Guid? RequestedBy, string? RequestedByName);

/// <summary>
/// Pending membership requests (double opt-in). A request replaces the pending one of the same kind
/// for the same organisation and address, with a new token; the mail goes out through
/// MembershipConfirmationRequested. Whether the address is known or already a member changes
/// only the mail (a member gets a note instead of a link), never what the caller is told.
/// </summary>
public static class MembershipRequests
{
    public const string SignupKind = "signup";
    public const string InvitationKind = "invitation";

    public static async Task RequestAsync(NpgsqlTransaction tx, Organisation organisation, MembershipAsk ask, IConfiguration configuration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(ask);
        var (token, hash) = ConsentLinks.NewToken();
        var expiresAt = now + ConsentLinks.Lifetime(configuration);
        var id = await tx.Connection!.ExecuteScalarAsync<Guid>(new CommandDefinition("""
            INSERT INTO membership_requests (id, token_hash, org_id, kind, email, name, locale, role, qualifications, requested_by, created_at, expires_at)
            VALUES (@id, @hash, @orgId, @kind, @email, @name, @locale, @role, @qualifications, @requestedBy, @now, @expiresAt)
            ON CONFLICT (org_id, lower(email), kind) DO UPDATE SET
                token_hash = excluded.token_hash, email = excluded.email, name = excluded.name, locale = excluded.locale,
                role = excluded.role, qualifications = excluded.qualifications, requested_by = excluded.requested_by,
                created_at = excluded.created_at, expires_at = excluded.expires_at
            RETURNING id
            """, new
        {
            id = Guid.CreateVersion7(now),
            hash,
            orgId = organisation.Id,
            kind = ask.Kind,
            email = ask.Email.Trim(),
            name = ask.Name.Trim(),
            locale = ask.Locale,
            role = ask.Role,
            qualifications = ask.Qualifications,
            requestedBy = ask.RequestedBy,
            now,
            expiresAt,
        }, tx, cancellationToken: cancellationToken));

        // The row is kept for a member too, so the invitations list cannot tell members from strangers;
        // it simply expires. The member is told they are one already, with no link to click.
        var member = await IsMemberAsync(tx, ask.Email, organisation.Id, cancellationToken);
        var link = member ? null : ConsentLinks.Link(configuration, ConsentLinks.MembershipPath, token);
        await Outbox.EnqueueAsync(tx, new MembershipConfirmationRequested(
            id, ask.Email.Trim(), ask.Name.Trim(), ask.Locale, organisation.Slug, organisation.Name, ask.RequestedByName, link, expiresAt), cancellationToken);
    }

    private static Task<bool> IsMemberAsync(NpgsqlTransaction tx, string email, Guid orgId, CancellationToken cancellationToken) =>
        tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM memberships m JOIN volunteers v ON v.id = m.volunteer_id
                           WHERE lower(v.email) = lower(@email) AND m.org_id = @orgId)
            """, new { email = email.Trim(), orgId }, tx, cancellationToken: cancellationToken));

    /// <summary>A request taken for confirmation: deleted with the token (single use); null when unknown, used or expired.</summary>
    public static async Task<PendingRequest?> TakeAsync(NpgsqlTransaction tx, byte[] hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var taken = await tx.Connection!.QuerySingleOrDefaultAsync<TakenRequest>(new CommandDefinition("""
            DELETE FROM membership_requests WHERE token_hash = @hash
            RETURNING id, (SELECT slug FROM organisations o WHERE o.id = org_id) AS org, kind, email, name, locale, role, qualifications, expires_at
            """, new { hash }, tx, cancellationToken: cancellationToken));

        // An expired request is gone now as well; it just cannot be used.
        return taken is not null && taken.ExpiresAt > now
            ? new PendingRequest(taken.Id, taken.Org, taken.Kind, taken.Email, taken.Name, taken.Locale, taken.Role, taken.Qualifications)
            : null;
    }

    /// <summary>Every other pending request for the address in the organisation: done once it is a member.</summary>
    public static Task ForgetForAddressAsync(NpgsqlTransaction tx, Guid orgId, string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM membership_requests WHERE org_id = @orgId AND lower(email) = lower(@email)", new { orgId, email }, tx, cancellationToken: cancellationToken));
    }

    private sealed record TakenRequest(Guid Id, string Org, string Kind, string Email, string Name, string Locale, string Role, string[] Qualifications, DateTimeOffset ExpiresAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private TakenRequest()
            : this(default!, default!, default!, default!, default!, default!, default!, default!, default!)
        {
        }
    }
}

public sealed record PendingRequest(Guid Id, string Org, string Kind, string Email, string Name, string Locale, string Role, string[] Qualifications);
