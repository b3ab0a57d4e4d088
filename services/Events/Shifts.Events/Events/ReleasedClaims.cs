using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Staffing;
using Shifts.Messaging.Outbox;

namespace Shifts.Events.Events;

/// <summary>A claim an event's move took away: whose it was and on which shift.</summary>
internal readonly record struct ReleasedClaim(Guid ClaimId, Guid VolunteerId, Guid ShiftId);

/// <summary>The claims a reschedule or a cancellation releases, and the ClaimCancelled that tells each person.</summary>
internal static class ReleasedClaims
{
    /// <summary>Runs a release statement (parameter <c>@id</c>: the event) that answers <c>id, volunteer_id, shift_id</c> per released claim.</summary>
    public static async Task<List<ReleasedClaim>> ReleaseAsync(NpgsqlTransaction tx, string sql, Guid eventId, CancellationToken ct)
    {
        var rows = await tx.Connection!.QueryAsync<(Guid ClaimId, Guid VolunteerId, Guid ShiftId)>(new CommandDefinition(sql, new { id = eventId }, tx, cancellationToken: ct));
        return rows.Select(row => new ReleasedClaim(row.ClaimId, row.VolunteerId, row.ShiftId)).ToList();
    }

    /// <summary>One ClaimCancelled per released claim, naming the shift as it is now (after a reschedule: its new time).</summary>
    public static async Task AnnounceAsync(NpgsqlTransaction tx, IReadOnlyList<ReleasedClaim> released, string reason, CancellationToken ct)
    {
        var shifts = new Dictionary<Guid, ShiftDetails>();
        foreach (var (claimId, volunteerId, shiftId) in released)
        {
            if (!shifts.TryGetValue(shiftId, out var details))
            {
                shifts[shiftId] = details = (await ShiftDetailsReader.ReadAsync(tx, shiftId, ct))!;
            }

            await Outbox.EnqueueAsync(tx, new ClaimCancelled(claimId, volunteerId, reason, details), ct);
        }
    }
}
