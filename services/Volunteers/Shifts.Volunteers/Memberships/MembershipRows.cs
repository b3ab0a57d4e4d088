using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.Volunteers.Organisations;

namespace Shifts.Volunteers.Memberships;

/// <summary>
/// Membership rows and the MembershipChanged event that travels with every change, in the same
/// transaction (the events service's replica decides who may claim shifts from it).
/// </summary>
public static class MembershipRows
{
    /// <summary>Adds the person to the organisation with the role; false (and nothing published) when they already belong to it.</summary>
    public static async Task<bool> AddAsync(NpgsqlTransaction tx, Guid volunteerId, Organisation org, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(org);
        var added = await tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO memberships (volunteer_id, org_id, role) VALUES (@volunteerId, @orgId, @role)
            ON CONFLICT (volunteer_id, org_id) DO NOTHING
            """, new { volunteerId, orgId = org.Id, role }, tx, cancellationToken: cancellationToken));
        if (added == 0)
        {
            return false;
        }

        await PublishAsync(tx, volunteerId, org.Slug, role, cancellationToken);
        return true;
    }

    /// <summary>Gives the member another role and publishes it.</summary>
    public static async Task ChangeRoleAsync(NpgsqlTransaction tx, Guid volunteerId, Organisation org, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(org);
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE memberships SET role = @role, updated_at = now() WHERE volunteer_id = @volunteerId AND org_id = @orgId",
            new { role, volunteerId, orgId = org.Id }, tx, cancellationToken: cancellationToken));
        await PublishAsync(tx, volunteerId, org.Slug, role, cancellationToken);
    }

    /// <summary>
    /// Enqueues MembershipChanged (role null: the person left) with the membership's next version.
    /// Call it after the change's INSERT, UPDATE or DELETE of the membership row, in the same
    /// transaction: the row lock then orders the versions of one membership like the commits.
    /// </summary>
    public static async Task PublishAsync(NpgsqlTransaction tx, Guid volunteerId, string orgSlug, string? role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var version = await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT nextval('membership_versions')", transaction: tx, cancellationToken: cancellationToken));
        await Outbox.EnqueueAsync(tx, new MembershipChanged(volunteerId, orgSlug, role, version), cancellationToken);
    }

    /// <summary>
    /// Ends the person's membership: the row goes, their qualifications in the organisation with it
    /// (ON DELETE CASCADE), and every replica hears it as MembershipChanged with Role null (and, when
    /// they held any, QualificationsChanged with none). False (nothing published) when they were no member.
    /// </summary>
    public static async Task<bool> RemoveAsync(NpgsqlTransaction tx, Guid volunteerId, Organisation org, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(org);
        var codes = await tx.Connection!.ExecuteScalarAsync<long?>(new CommandDefinition("""
            WITH held AS (SELECT count(*) AS codes FROM member_qualifications WHERE volunteer_id = @volunteerId AND org_id = @orgId)
            DELETE FROM memberships WHERE volunteer_id = @volunteerId AND org_id = @orgId
            RETURNING (SELECT codes FROM held)
            """, new { volunteerId, orgId = org.Id }, tx, cancellationToken: cancellationToken));
        if (codes is null)
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

    /// <summary>Whether the person still belongs to any organisation.</summary>
    public static Task<bool> HasAnyAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM memberships WHERE volunteer_id = @volunteerId)", new { volunteerId }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>The person's role in the organisation, locking the membership against concurrent changes; null when not a member.</summary>
    public static Task<string?> LockRoleAsync(NpgsqlTransaction tx, Guid volunteerId, Guid orgId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return tx.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT role FROM memberships WHERE volunteer_id = @volunteerId AND org_id = @orgId FOR UPDATE",
            new { volunteerId, orgId }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>Counts the organisation's admins, locking their memberships so two admins cannot both step down at once.</summary>
    public static async Task<int> AdminCountAsync(NpgsqlTransaction tx, Guid orgId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var admins = await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(
            "SELECT volunteer_id FROM memberships WHERE org_id = @orgId AND role = @admin FOR UPDATE",
            new { orgId, admin = Roles.Admin }, tx, cancellationToken: cancellationToken));
        return admins.Count();
    }

    /// <summary>Records a coordinator's read of contact details (GDPR art. 9 accountability), in the read's transaction.</summary>
    public static async Task LogContactAccessAsync(NpgsqlTransaction tx, Caller caller, Guid orgId, string action, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(caller);
        await tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO contact_access_log (accessor_id, org_id, action, member_count, accessed_at)
            VALUES (@accessor, @orgId, @action, @count, @now)
            """, new { accessor = caller.RequiredId, orgId, action, count, now }, tx, cancellationToken: cancellationToken));
    }
}
