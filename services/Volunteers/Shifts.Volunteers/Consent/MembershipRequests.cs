using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.Volunteers.Members;
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
        Guid id;
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO membership_requests (id, token_hash, org_id, kind, email, name, locale, role, qualifications, requested_by, created_at, expires_at)
            VALUES (@id, @hash, @org, @kind, @email, @name, @locale, @role, @qualifications, @requestedBy, @now, @expires)
            ON CONFLICT (org_id, lower(email), kind) DO UPDATE SET
                token_hash = excluded.token_hash, email = excluded.email, name = excluded.name, locale = excluded.locale,
                role = excluded.role, qualifications = excluded.qualifications, requested_by = excluded.requested_by,
                created_at = excluded.created_at, expires_at = excluded.expires_at
            RETURNING id
            """, tx.Connection, tx))
        {
            upsert.Parameters.AddWithValue("id", Guid.CreateVersion7(now));
            upsert.Parameters.AddWithValue("hash", hash);
            upsert.Parameters.AddWithValue("org", organisation.Id);
            upsert.Parameters.AddWithValue("kind", ask.Kind);
            upsert.Parameters.AddWithValue("email", ask.Email.Trim());
            upsert.Parameters.AddWithValue("name", ask.Name.Trim());
            upsert.Parameters.AddWithValue("locale", ask.Locale);
            upsert.Parameters.AddWithValue("role", ask.Role);
            upsert.Parameters.AddWithValue("qualifications", ask.Qualifications);
            upsert.Parameters.AddWithValue("requestedBy", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)ask.RequestedBy ?? DBNull.Value);
            upsert.Parameters.AddWithValue("now", now);
            upsert.Parameters.AddWithValue("expires", expiresAt);
            id = (Guid)(await upsert.ExecuteScalarAsync(cancellationToken))!;
        }

        // The row is kept for a member too, so the invitations list cannot tell members from strangers;
        // it simply expires. The member is told they are one already, with no link to click.
        var member = await IsMemberAsync(tx, ask.Email, organisation.Id, cancellationToken);
        var link = member ? null : ConsentLinks.Link(configuration, ConsentLinks.MembershipPath, token);
        await Outbox.EnqueueAsync(tx, new MembershipConfirmationRequested(
            id, ask.Email.Trim(), ask.Name.Trim(), ask.Locale, organisation.Slug, organisation.Name, ask.RequestedByName, link, expiresAt), cancellationToken);
    }

    private static async Task<bool> IsMemberAsync(NpgsqlTransaction tx, string email, Guid orgId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM memberships m JOIN volunteers v ON v.id = m.volunteer_id
                           WHERE lower(v.email) = lower(@email) AND m.org_id = @org)
            """, tx.Connection, tx);
        command.Parameters.AddWithValue("email", email.Trim());
        command.Parameters.AddWithValue("org", orgId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A request taken for confirmation: deleted with the token (single use); null when unknown, used or expired.</summary>
    public static async Task<PendingRequest?> TakeAsync(NpgsqlTransaction tx, byte[] hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var command = new NpgsqlCommand("""
            DELETE FROM membership_requests WHERE token_hash = @hash
            RETURNING id, (SELECT slug FROM organisations o WHERE o.id = org_id), kind, email, name, locale, role, qualifications, expires_at
            """, tx.Connection, tx);
        command.Parameters.AddWithValue("hash", hash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var request = new PendingRequest(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5), reader.GetString(6), reader.GetFieldValue<string[]>(7));
        // An expired request is gone now as well; it just cannot be used.
        return reader.GetFieldValue<DateTimeOffset>(8) > now ? request : null;
    }

    /// <summary>Every other pending request for the address in the organisation: done once it is a member.</summary>
    public static async Task ForgetForAddressAsync(NpgsqlTransaction tx, Guid orgId, string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var command = new NpgsqlCommand(
            "DELETE FROM membership_requests WHERE org_id = @org AND lower(email) = lower(@email)", tx.Connection, tx);
        command.Parameters.AddWithValue("org", orgId);
        command.Parameters.AddWithValue("email", email);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed record PendingRequest(Guid Id, string Org, string Kind, string Email, string Name, string Locale, string Role, string[] Qualifications);
