using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Shifts;
using Shifts.Messaging.Outbox;

namespace Shifts.Events.Staffing;

/// <summary>
/// Hands freed places to the people waiting, first come first served, in the transaction that
/// freed them. The caller holds the shift row's lock (its UPDATE of <c>confirmed</c>), so two
/// cancellations racing promote one after the other, never the same person twice. Someone whose
/// other claims now overlap this shift is skipped and keeps their place in the queue.
/// </summary>
internal static class Waitlist
{
    public static async Task PromoteAsync(NpgsqlTransaction tx, Guid shiftId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var shift = await ShiftState.LoadAsync(tx, shiftId, cancellationToken, forUpdate: true);
        if (shift is null || !shift.IsBookable(now))
        {
            return;
        }

        var waiting = await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(
            "SELECT volunteer_id FROM waitlist_entries WHERE shift_id = @shiftId ORDER BY position", new { shiftId }, tx, cancellationToken: cancellationToken));

        var free = shift.Capacity - shift.Confirmed;
        foreach (var volunteerId in waiting)
        {
            if (free <= 0)
            {
                break;
            }

            var result = await Places.TakeAsync(tx, shift, volunteerId, cancellationToken);
            if (result is PlaceResult.Full)
            {
                break;
            }

            if (result is PlaceResult.Taken taken)
            {
                free--;
                await Outbox.EnqueueAsync(tx, new WaitlistPromoted(taken.Claim.Id, volunteerId, taken.Details), cancellationToken);
            }
        }
    }
}
