using Dapper;
using Npgsql;
using Shifts.Events.Statuses;

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
        var connection = tx.Connection!;
        await tx.SaveAsync("take_place", cancellationToken);

        const string take = $"""
            UPDATE shifts SET confirmed = confirmed + 1, updated_at = now()
            WHERE id = @shiftId AND confirmed < capacity AND status = '{ShiftStatus.Open}' AND event_status = '{EventStatus.Published}'
            """;
        if (await connection.ExecuteAsync(new CommandDefinition(take, new { shiftId = shift.Id }, tx, cancellationToken: cancellationToken)) == 0)
        {
            await tx.RollbackAsync("take_place", cancellationToken);
            return new PlaceResult.Full();
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
            var taken = await connection.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(claim, new
            {
                id = Guid.CreateVersion7(),
                shiftId = shift.Id,
                volunteerId,
                startsAt = shift.StartsAt,
                endsAt = shift.EndsAt,
            }, tx, cancellationToken: cancellationToken));
            if (taken is not null)
            {
                await LeaveWaitlistAsync(tx, shift.Id, volunteerId, cancellationToken);
                return new PlaceResult.Taken(taken.View(shift.Id, volunteerId));
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
        const string sql = $"SELECT id, created_at FROM claims WHERE shift_id = @shiftId AND volunteer_id = @volunteerId AND status = '{ClaimStatus.Confirmed}'";
        var held = await tx.Connection!.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(sql, new { shiftId, volunteerId }, tx, cancellationToken: cancellationToken));
        return held?.View(shiftId, volunteerId);
    }

    /// <summary>Gives a confirmed claim back; returns its id, or null when the volunteer held none.</summary>
    public static Task<Guid?> ReleaseAsync(NpgsqlTransaction tx, Guid shiftId, Guid volunteerId, string reason, CancellationToken cancellationToken)
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
        return tx.Connection!.ExecuteScalarAsync<Guid?>(new CommandDefinition(sql, new { shiftId, volunteerId, reason }, tx, cancellationToken: cancellationToken));
    }

    private static Task LeaveWaitlistAsync(NpgsqlTransaction tx, Guid shiftId, Guid volunteerId, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH left_list AS (
                DELETE FROM waitlist_entries WHERE shift_id = @shiftId AND volunteer_id = @volunteerId RETURNING 1
            )
            UPDATE shifts SET waitlisted = waitlisted - (SELECT count(*) FROM left_list) WHERE id = @shiftId AND EXISTS (SELECT 1 FROM left_list)
            """;
        return tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { shiftId, volunteerId }, tx, cancellationToken: cancellationToken));
    }

    private static Task<Guid?> ConflictingShiftAsync(NpgsqlTransaction tx, Guid volunteerId, ShiftState shift, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT shift_id FROM claims
            WHERE volunteer_id = @volunteerId AND status = '{ClaimStatus.Confirmed}' AND during && tstzrange(@startsAt, @endsAt, '[)')
            LIMIT 1
            """;
        return tx.Connection!.ExecuteScalarAsync<Guid?>(new CommandDefinition(sql, new { volunteerId, startsAt = shift.StartsAt, endsAt = shift.EndsAt },
            tx, cancellationToken: cancellationToken));
    }

    /// <summary>A confirmed claim's row: its id and when it was (last) taken.</summary>
    private sealed class ClaimRow
    {
        public Guid Id { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public ClaimView View(Guid shiftId, Guid volunteerId) => new(Id, shiftId, volunteerId, ClaimStatus.Confirmed, CreatedAt);
    }
}
