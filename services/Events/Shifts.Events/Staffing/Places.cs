using Shifts.Events.Statuses;
using Npgsql;

namespace Shifts.Events.Staffing;

/// <summary>The outcome of trying to give a volunteer a place on a shift.</summary>
internal abstract record PlaceResult
{
    public sealed record Taken(ClaimView Claim) : PlaceResult;

    public sealed record AlreadyHeld(ClaimView Claim) : PlaceResult;

    public sealed record Full : PlaceResult;

    public sealed record Overlaps(Guid ConflictingShiftId) : PlaceResult;
}

/// <summary>
/// Taking and giving back places. This is where overbooking is made impossible: the place is taken
/// by one conditional UPDATE (confirmed &lt; capacity), which PostgreSQL serialises per shift row, and
/// the claim row is checked by the exclusion constraint for overlaps — both in the caller's
/// transaction, under a savepoint, so a refusal leaves nothing behind.
/// </summary>
internal static class Places
{
    public static async Task<PlaceResult> TakeAsync(NpgsqlTransaction tx, ShiftState shift, Guid volunteerId, CancellationToken cancellationToken)
    {
        await tx.SaveAsync("take_place", cancellationToken);

        await using (var take = new NpgsqlCommand($"""
            UPDATE shifts SET confirmed = confirmed + 1, updated_at = now()
            WHERE id = @id AND confirmed < capacity AND status = '{ShiftStatus.Open}' AND event_status = '{EventStatus.Published}'
            """, tx.Connection, tx))
        {
            take.Parameters.AddWithValue("id", shift.Id);
            if (await take.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await tx.RollbackAsync("take_place", cancellationToken);
                return new PlaceResult.Full();
            }
        }

        // One row per volunteer and shift: a claim given back earlier is confirmed again. The WHERE
        // makes a concurrent second claim by the same person a no-op instead of a second place.
        const string claim = $"""
            INSERT INTO claims (id, shift_id, volunteer_id, status, during)
            VALUES (@id, @shiftId, @volunteerId, '{ClaimStatus.Confirmed}', tstzrange(@startsAt, @endsAt, '[)'))
            ON CONFLICT (shift_id, volunteer_id) DO UPDATE
                SET status = '{ClaimStatus.Confirmed}', during = excluded.during, created_at = now(), cancelled_at = NULL, cancel_reason = NULL
                WHERE claims.status = '{ClaimStatus.Cancelled}'
            RETURNING id, created_at
            """;
        try
        {
            await using var insert = new NpgsqlCommand(claim, tx.Connection, tx);
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("shiftId", shift.Id);
            insert.Parameters.AddWithValue("volunteerId", volunteerId);
            insert.Parameters.AddWithValue("startsAt", shift.StartsAt);
            insert.Parameters.AddWithValue("endsAt", shift.EndsAt);
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                var taken = new ClaimView(reader.GetGuid(0), shift.Id, volunteerId, ClaimStatus.Confirmed, reader.GetFieldValue<DateTimeOffset>(1));
                await reader.DisposeAsync();
                await LeaveWaitlistAsync(tx, shift.Id, volunteerId, cancellationToken);
                return new PlaceResult.Taken(taken);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            await tx.RollbackAsync("take_place", cancellationToken);
            return new PlaceResult.Overlaps(await ConflictingShiftAsync(tx, volunteerId, shift, cancellationToken) ?? Guid.Empty);
        }

        // The same person's other request confirmed this claim a moment ago: give the place back.
        await tx.RollbackAsync("take_place", cancellationToken);
        var held = await FindConfirmedAsync(tx, shift.Id, volunteerId, cancellationToken);
        return held is null ? new PlaceResult.Full() : new PlaceResult.AlreadyHeld(held);
    }

    public static async Task<ClaimView?> FindConfirmedAsync(NpgsqlTransaction tx, Guid shiftId, Guid volunteerId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT id, created_at FROM claims WHERE shift_id = @shiftId AND volunteer_id = @volunteerId AND status = '{ClaimStatus.Confirmed}'",
            tx.Connection, tx);
        command.Parameters.AddWithValue("shiftId", shiftId);
        command.Parameters.AddWithValue("volunteerId", volunteerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ClaimView(reader.GetGuid(0), shiftId, volunteerId, ClaimStatus.Confirmed, reader.GetFieldValue<DateTimeOffset>(1))
            : null;
    }

    /// <summary>Gives a confirmed claim back; returns its id, or null when the volunteer held none.</summary>
    public static async Task<Guid?> ReleaseAsync(NpgsqlTransaction tx, Guid shiftId, Guid volunteerId, string reason, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH released AS (
                UPDATE claims SET status = '{ClaimStatus.Cancelled}', cancelled_at = now(), cancel_reason = @reason
                WHERE shift_id = @shiftId AND volunteer_id = @volunteerId AND status = '{ClaimStatus.Confirmed}'
                RETURNING id
            ), counted AS (
                UPDATE shifts SET confirmed = confirmed - 1, updated_at = now()
                WHERE id = @shiftId AND EXISTS (SELECT 1 FROM released)
            )
            SELECT id FROM released
            """;
        await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
        command.Parameters.AddWithValue("shiftId", shiftId);
        command.Parameters.AddWithValue("volunteerId", volunteerId);
        command.Parameters.AddWithValue("reason", reason);
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    private static async Task LeaveWaitlistAsync(NpgsqlTransaction tx, Guid shiftId, Guid volunteerId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH left_list AS (
                DELETE FROM waitlist_entries WHERE shift_id = @shiftId AND volunteer_id = @volunteerId RETURNING 1
            )
            UPDATE shifts SET waitlisted = waitlisted - (SELECT count(*) FROM left_list) WHERE id = @shiftId AND EXISTS (SELECT 1 FROM left_list)
            """, tx.Connection, tx);
        command.Parameters.AddWithValue("shiftId", shiftId);
        command.Parameters.AddWithValue("volunteerId", volunteerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Guid?> ConflictingShiftAsync(NpgsqlTransaction tx, Guid volunteerId, ShiftState shift, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT shift_id FROM claims
            WHERE volunteer_id = @volunteerId AND status = '{ClaimStatus.Confirmed}' AND during && tstzrange(@startsAt, @endsAt, '[)')
            LIMIT 1
            """, tx.Connection, tx);
        command.Parameters.AddWithValue("volunteerId", volunteerId);
        command.Parameters.AddWithValue("startsAt", shift.StartsAt);
        command.Parameters.AddWithValue("endsAt", shift.EndsAt);
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }
}
