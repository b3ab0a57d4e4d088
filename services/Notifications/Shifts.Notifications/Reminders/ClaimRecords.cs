using Dapper;
using Npgsql;
using Shifts.Contracts;

namespace Shifts.Notifications.Reminders;

/// <summary>A claim as this service remembers it: whose, which shift, when and where, and whether it still stands.</summary>
public sealed record ClaimRecord(Guid ClaimId, Guid VolunteerId, string Status, ShiftDetails Shift);

/// <summary>
/// The per-claim table behind reminders (and behind the place and shift named in event notices):
/// every change to a claim, its shift or its event is written here, and the claim's reminders are
/// recomputed (<see cref="ClaimReminders"/>). Every method runs in the caller's (inbox) transaction.
/// </summary>
public static class ClaimRecords
{
    private const string Columns = """
        claim_id, volunteer_id, status, shift_id, event_id, org, event_title, shift_title, starts_at, ends_at, location_name, location_address
        """;

    private const string Select = """
        SELECT claim_id AS ClaimId, volunteer_id AS VolunteerId, status AS Status, shift_id AS ShiftId, event_id AS EventId, org AS Org,
               event_title AS EventTitle, shift_title AS ShiftTitle, starts_at AS StartsAt, ends_at AS EndsAt,
               location_name AS LocationName, location_address AS LocationAddress
        FROM claims
        """;

    /// <summary>
    /// Remembers a confirmed claim and schedules its reminders. Returns false when the claim was
    /// cancelled before this message was processed (its ClaimCancelled overtook it): then nothing is
    /// scheduled, and the caller sends no confirmation.
    /// </summary>
    public static async Task<bool> RecordAsync(NpgsqlTransaction tx, Guid claimId, Guid volunteerId, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(shift);
        await ExecuteAsync(tx, $"""
            INSERT INTO claims ({Columns}, updated_at)
            VALUES (@claim, @volunteer, '{ClaimStatus.Active}', @shift, @event, @org, @eventTitle, @shiftTitle, @startsAt, @endsAt, @location, @address, @now)
            ON CONFLICT (claim_id) DO NOTHING
            """, ShiftParameters(claimId, volunteerId, shift, now), cancellationToken);

        var claim = await FindAsync(tx, claimId, cancellationToken);
        if (claim?.Status != ClaimStatus.Active)
        {
            return false;
        }

        await ClaimReminders.RescheduleAsync(tx, [claimId], now, cancellationToken);
        return true;
    }

    /// <summary>Marks the claim cancelled (creating its tombstone if the claim itself was never seen) and cancels its reminders.</summary>
    public static async Task CancelAsync(NpgsqlTransaction tx, Guid claimId, Guid volunteerId, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(shift);
        await ExecuteAsync(tx, $"""
            INSERT INTO claims ({Columns}, updated_at)
            VALUES (@claim, @volunteer, '{ClaimStatus.Cancelled}', @shift, @event, @org, @eventTitle, @shiftTitle, @startsAt, @endsAt, @location, @address, @now)
            ON CONFLICT (claim_id) DO UPDATE SET status = '{ClaimStatus.Cancelled}', updated_at = excluded.updated_at
            """, ShiftParameters(claimId, volunteerId, shift, now), cancellationToken);

        await ClaimReminders.RescheduleAsync(tx, [claimId], now, cancellationToken);
    }

    /// <summary>A shift's title, place or time changed: the claims on it take the new details and their reminders move.</summary>
    public static Task<IReadOnlyList<ClaimRecord>> ShiftChangedAsync(NpgsqlTransaction tx, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shift);
        return UpdateAndRescheduleAsync(tx, $"""
            UPDATE claims SET event_title = @eventTitle, shift_title = @shiftTitle, starts_at = @startsAt, ends_at = @endsAt,
                              location_name = @location, location_address = @address, updated_at = @now
            WHERE shift_id = @shift AND status <> '{ClaimStatus.Cancelled}'
            RETURNING claim_id
            """, ShiftParameters(Guid.Empty, Guid.Empty, shift, now), now, cancellationToken);
    }

    /// <summary>Claims released because their shift was cancelled.</summary>
    public static Task<IReadOnlyList<ClaimRecord>> ShiftCancelledAsync(NpgsqlTransaction tx, Guid shiftId, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAndRescheduleAsync(tx,
            $"UPDATE claims SET status = '{ClaimStatus.Cancelled}', updated_at = @now WHERE shift_id = @shift AND status <> '{ClaimStatus.Cancelled}' RETURNING claim_id",
            new { shift = shiftId, now }, now, cancellationToken);

    /// <summary>A postponed event has no date: its claims stand, but nobody is reminded of a time that no longer holds.</summary>
    public static Task<IReadOnlyList<ClaimRecord>> EventPostponedAsync(NpgsqlTransaction tx, Guid eventId, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAndRescheduleAsync(tx,
            $"UPDATE claims SET status = '{ClaimStatus.Postponed}', updated_at = @now WHERE event_id = @event AND status = '{ClaimStatus.Active}' RETURNING claim_id",
            new { @event = eventId, now }, now, cancellationToken);

    /// <summary>
    /// An event moved, and its shifts with it by the same amount (the events service moves them so):
    /// the kept claims take the new times, stand again if the event was postponed, and their
    /// reminders move.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimRecord>> EventRescheduledAsync(NpgsqlTransaction tx, Guid eventId, string title, TimeSpan delta, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        // The TimeSpan goes as an interval (DapperMapping's handler), not as a time of day.
        return await UpdateAndRescheduleAsync(tx, $"""
            UPDATE claims SET starts_at = starts_at + @delta, ends_at = ends_at + @delta, event_title = @title,
                              status = '{ClaimStatus.Active}', updated_at = @now
            WHERE event_id = @event AND status IN ('{ClaimStatus.Active}', '{ClaimStatus.Postponed}')
            RETURNING claim_id
            """, new { @event = eventId, title, delta, now }, now, cancellationToken);
    }

    public static Task<IReadOnlyList<ClaimRecord>> EventCancelledAsync(NpgsqlTransaction tx, Guid eventId, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAndRescheduleAsync(tx,
            $"UPDATE claims SET status = '{ClaimStatus.Cancelled}', updated_at = @now WHERE event_id = @event AND status <> '{ClaimStatus.Cancelled}' RETURNING claim_id",
            new { @event = eventId, now }, now, cancellationToken);

    /// <summary>The person's lead times or quiet hours changed: their upcoming reminders follow.</summary>
    public static async Task RescheduleVolunteerAsync(NpgsqlTransaction tx, Guid volunteerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var ids = (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(
            $"SELECT claim_id FROM claims WHERE volunteer_id = @volunteer AND status = '{ClaimStatus.Active}' AND starts_at > @now",
            new { volunteer = volunteerId, now }, tx, cancellationToken: cancellationToken))).ToList();
        await ClaimReminders.RescheduleAsync(tx, ids, now, cancellationToken);
    }

    /// <summary>Erasure: the person's claims and reminders go.</summary>
    public static Task ForgetVolunteerAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken cancellationToken) =>
        ExecuteAsync(tx, "DELETE FROM claims WHERE volunteer_id = @volunteer", new { volunteer = volunteerId }, cancellationToken);

    /// <summary>Claims of an event, one per person (their earliest), for the place and shift named in notices about the event.</summary>
    public static async Task<Dictionary<Guid, ClaimRecord>> OfEventAsync(NpgsqlTransaction tx, Guid eventId, CancellationToken cancellationToken)
    {
        var byVolunteer = new Dictionary<Guid, ClaimRecord>();
        foreach (var claim in await ReadAsync(tx, $"{Select} WHERE event_id = @event ORDER BY starts_at", new { @event = eventId }, cancellationToken))
        {
            byVolunteer.TryAdd(claim.VolunteerId, claim);
        }

        return byVolunteer;
    }

    public static async Task<ClaimRecord?> FindAsync(NpgsqlTransaction tx, Guid claimId, CancellationToken cancellationToken) =>
        (await FindManyAsync(tx, [claimId], cancellationToken)).GetValueOrDefault(claimId);

    public static async Task<Dictionary<Guid, ClaimRecord>> FindManyAsync(NpgsqlTransaction tx, IReadOnlyCollection<Guid> claimIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimIds);
        return (await ReadAsync(tx, $"{Select} WHERE claim_id = ANY(@ids)", new { ids = claimIds.ToArray() }, cancellationToken)).ToDictionary(c => c.ClaimId);
    }

    private static async Task<IReadOnlyList<ClaimRecord>> UpdateAndRescheduleAsync(NpgsqlTransaction tx, string update, object parameters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var ids = (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition(update, parameters, tx, cancellationToken: cancellationToken))).ToList();
        return await RescheduleAndFindAsync(tx, ids, now, cancellationToken);
    }

    private static async Task<IReadOnlyList<ClaimRecord>> RescheduleAndFindAsync(NpgsqlTransaction tx, List<Guid> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ClaimReminders.RescheduleAsync(tx, ids, now, cancellationToken);
        return (await FindManyAsync(tx, ids, cancellationToken)).Values.ToList();
    }

    private static async Task<List<ClaimRecord>> ReadAsync(NpgsqlTransaction tx, string sql, object parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var rows = await tx.Connection!.QueryAsync<ClaimRow>(new CommandDefinition(sql, parameters, tx, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    private static Task ExecuteAsync(NpgsqlTransaction tx, string sql, object parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return tx.Connection!.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: cancellationToken));
    }

    private static object ShiftParameters(Guid claimId, Guid volunteerId, ShiftDetails shift, DateTimeOffset now) => new
    {
        claim = claimId,
        volunteer = volunteerId,
        shift = shift.ShiftId,
        @event = shift.EventId,
        org = shift.Org,
        eventTitle = shift.EventTitle,
        shiftTitle = shift.ShiftTitle,
        startsAt = shift.StartsAt.ToUniversalTime(),
        endsAt = shift.EndsAt.ToUniversalTime(),
        location = shift.LocationName,
        address = shift.LocationAddress,
        now,
    };

    private sealed record ClaimRow(
        Guid ClaimId, Guid VolunteerId, string Status, Guid ShiftId, Guid EventId, string Org, string EventTitle, string ShiftTitle,
        DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocationName, string? LocationAddress)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private ClaimRow()
            : this(default, default, default!, default, default, default!, default!, default!, default, default, default!, default)
        {
        }

        public ClaimRecord ToRecord() => new(ClaimId, VolunteerId, Status, new ShiftDetails(
            ShiftId, EventId, Org, EventTitle, ShiftTitle, StartsAt, EndsAt, LocationName, LocationAddress));
    }
}
