using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Events.Statuses;

namespace Shifts.Events.Staffing;

/// <summary>The outcome of trying to give a volunteer a place on a shift.</summary>
internal abstract record PlaceResult
{
    /// <param name="Details">The shift as it was when the place was taken, for the message that tells of it.</param>
    public sealed record Taken(ClaimView Claim, ShiftDetails Details) : PlaceResult;

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
    /// <summary>
    /// Takes a place in one round trip, because the shift row stays locked from the conditional
    /// UPDATE to the commit and every round trip under that lock is time other claims of the shift
    /// wait: the savepoint, one statement that takes the place, writes the claim row and leaves the
    /// waitlist, and the shift's details for the message (read after the lock is held, so they are
    /// the shift as it is when the place is taken). A refusal is rolled back to the savepoint.
    /// </summary>
    public static async Task<PlaceResult> TakeAsync(NpgsqlTransaction tx, ShiftState shift, Guid volunteerId, CancellationToken cancellationToken)
    {
        // The claim row takes its time from the locked shift row (RETURNING), not from the caller's
        // earlier read: a move that committed just before cannot leave the claim at the old time.
        // One row per volunteer and shift: a claim given back earlier is confirmed again; the WHERE
        // makes a concurrent second claim by the same person a no-op instead of a second place.
        // The waitlist step counts the entry in the same UPDATE (all parts of one statement see the
        // same snapshot, and a row may be updated only once per statement).
        const string take = $"""
            WITH waiting AS (
                DELETE FROM waitlist_entries WHERE shift_id = @shiftId AND volunteer_id = @volunteerId RETURNING 1
            ), taken AS (
                UPDATE shifts SET confirmed = confirmed + 1, updated_at = now(),
                                  waitlisted = waitlisted - (SELECT count(*) FROM waiting)
                WHERE id = @shiftId AND confirmed < capacity AND status = '{ShiftStatus.Open}' AND event_status = '{EventStatus.Published}'
                RETURNING id, starts_at, ends_at
            ), claimed AS (
                INSERT INTO claims (id, shift_id, volunteer_id, status, during)
                SELECT @id, t.id, @volunteerId, '{ClaimStatus.Confirmed}', tstzrange(t.starts_at, t.ends_at, '[)') FROM taken t
                ON CONFLICT (shift_id, volunteer_id) DO UPDATE
                    SET status = '{ClaimStatus.Confirmed}', during = excluded.during, created_at = now(), cancelled_at = NULL, cancel_reason = NULL
                    WHERE claims.status = '{ClaimStatus.Cancelled}'
                RETURNING id, created_at
            )
            SELECT (SELECT count(*) FROM taken)::int AS taken, c.id AS claim_id, c.created_at
            FROM (SELECT 1) one LEFT JOIN claimed c ON true
            """;
        const string details = $"""
            SELECT {ShiftDetailsReader.Columns}
            FROM shifts s JOIN events e ON e.id = s.event_id
            WHERE s.id = @shiftId
            """;

        // Raw Npgsql: one NpgsqlBatch (savepoint, take, details), which Dapper cannot send.
        await using var batch = new NpgsqlBatch(tx.Connection, tx);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT take_place"));
        var takeCommand = new NpgsqlBatchCommand(take);
        takeCommand.Parameters.AddWithValue("shiftId", shift.Id);
        takeCommand.Parameters.AddWithValue("volunteerId", volunteerId);
        takeCommand.Parameters.AddWithValue("id", Guid.CreateVersion7());
        batch.BatchCommands.Add(takeCommand);
        var detailsCommand = new NpgsqlBatchCommand(details);
        detailsCommand.Parameters.AddWithValue("shiftId", shift.Id);
        batch.BatchCommands.Add(detailsCommand);

        int placesTaken;
        ClaimRow? claimed = null;
        ShiftDetails? facts = null;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await SkipToRowsAsync(reader, cancellationToken); // past the savepoint's result
            await reader.ReadAsync(cancellationToken);
            placesTaken = reader.GetInt32(0);
            if (!reader.IsDBNull(1))
            {
                claimed = new ClaimRow { Id = reader.GetGuid(1), CreatedAt = reader.GetFieldValue<DateTimeOffset>(2) };
            }

            await reader.NextResultAsync(cancellationToken);
            await SkipToRowsAsync(reader, cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                facts = ShiftDetailsReader.FromRecord(reader);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            await tx.RollbackAsync("take_place", cancellationToken);
            return new PlaceResult.Overlaps(await ConflictingShiftAsync(tx, volunteerId, shift, cancellationToken) ?? Guid.Empty);
        }

        if (placesTaken == 0)
        {
            // No place: the rollback keeps the person's waitlist entry, which the statement removed.
            await tx.RollbackAsync("take_place", cancellationToken);
            return new PlaceResult.Full();
        }

        if (claimed is not null)
        {
            return new PlaceResult.Taken(claimed.View(shift.Id, volunteerId), facts!);
        }

        // The same person's other request confirmed this claim a moment ago: give the place back.
        await tx.RollbackAsync("take_place", cancellationToken);
        var held = await FindConfirmedAsync(tx, shift.Id, volunteerId, cancellationToken);
        return held is null ? new PlaceResult.Full() : new PlaceResult.AlreadyHeld(held);
    }

    private static async Task SkipToRowsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken))
        {
        }
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
