using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.Volunteers.Organisations;

namespace Shifts.Volunteers.Members;

/// <summary>
/// Membership rows and the MembershipChanged event that travels with every change, in the same
/// transaction (the events service's replica decides who may claim shifts from it).
/// </summary>
public static class Memberships
{
    public static bool IsRole(string? value) => value is not null && Caller.TryParseRole(value, out _);

    /// <summary>Adds the person to the organisation with the role; false (and nothing published) when they already belong to it.</summary>
    public static async Task<bool> AddAsync(NpgsqlTransaction tx, Guid volunteerId, Organisation org, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(org);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO memberships (volunteer_id, org_id, role) VALUES (@volunteer, @org, @role)
            ON CONFLICT (volunteer_id, org_id) DO NOTHING
            """, tx.Connection, tx);
        insert.Parameters.AddWithValue("volunteer", volunteerId);
        insert.Parameters.AddWithValue("org", org.Id);
        insert.Parameters.AddWithValue("role", role);
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await PublishAsync(tx, volunteerId, org.Slug, role, cancellationToken);
        return true;
    }

    /// <summary>
    /// Enqueues MembershipChanged (role null: the person left) with the membership's next version.
    /// Call it after the change's INSERT, UPDATE or DELETE of the membership row, in the same
    /// transaction: the row lock then orders the versions of one membership like the commits.
    /// </summary>
    public static async Task PublishAsync(NpgsqlTransaction tx, Guid volunteerId, string orgSlug, string? role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var next = new NpgsqlCommand("SELECT nextval('membership_versions')", tx.Connection, tx);
        var version = (long)(await next.ExecuteScalarAsync(cancellationToken))!;
        await Outbox.EnqueueAsync(tx, new MembershipChanged(volunteerId, orgSlug, role, version), cancellationToken);
    }

    /// <summary>
    /// Ends the person's membership: the row goes, their qualifications in the organisation with it
    /// (ON DELETE CASCADE), and every replica hears it as MembershipChanged with Role null (and, when
    /// they held any, QualificationsChanged with none). False (nothing published) when they were no member.
    /// </summary>
    public static async Task<bool> RemoveAsync(NpgsqlTransaction tx, Guid volunteerId, Organisation org, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(org);
        await using var delete = new NpgsqlCommand("""
            WITH held AS (SELECT count(*) AS codes FROM member_qualifications WHERE volunteer_id = @volunteer AND org_id = @org)
            DELETE FROM memberships WHERE volunteer_id = @volunteer AND org_id = @org
            RETURNING (SELECT codes FROM held)
            """, tx.Connection, tx);
        delete.Parameters.AddWithValue("volunteer", volunteerId);
        delete.Parameters.AddWithValue("org", org.Id);
        if (await delete.ExecuteScalarAsync(cancellationToken) is not long codes)
        {
            return false;
        }

        if (codes > 0)
        {
            await Outbox.EnqueueAsync(tx, new QualificationsChanged(volunteerId, org.Slug, []), cancellationToken);
        }

        await PublishAsync(tx, volunteerId, org.Slug, null, cancellationToken);
        return true;
    }

    /// <summary>The person's role in the organisation, locking the membership against concurrent changes; null when not a member.</summary>
    public static async Task<string?> LockRoleAsync(NpgsqlTransaction tx, Guid volunteerId, Guid orgId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT role FROM memberships WHERE volunteer_id = @volunteer AND org_id = @org FOR UPDATE", tx.Connection, tx);
        command.Parameters.AddWithValue("volunteer", volunteerId);
        command.Parameters.AddWithValue("org", orgId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Records a coordinator's read of contact details (GDPR art. 9 accountability), in the read's transaction.</summary>
    public static async Task LogContactAccessAsync(NpgsqlTransaction tx, Caller caller, Guid orgId, string action, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO contact_access_log (accessor_id, org_id, action, member_count, accessed_at)
            VALUES (@accessor, @org, @action, @count, @now)
            """, tx.Connection, tx);
        insert.Parameters.AddWithValue("accessor", caller.RequiredId);
        insert.Parameters.AddWithValue("org", orgId);
        insert.Parameters.AddWithValue("action", action);
        insert.Parameters.AddWithValue("count", count);
        insert.Parameters.AddWithValue("now", now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
