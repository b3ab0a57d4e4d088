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
/// Messages about a shift arrive in any order; each is learnt through <see cref="ShiftFacts"/> first,
/// and a claim always holds the newest facts known about its shift (by revision), never a message's
/// older ones.
/// </summary>
public static class ClaimRecords
{
    private const string Columns = """
        claim_id, volunteer_id, status, shift_id, event_id, org, event_title, shift_title, starts_at, ends_at, location_name, location_address, revision
        """;

    private const string Select = """
        SELECT claim_id AS ClaimId, volunteer_id AS VolunteerId, status AS Status, shift_id AS ShiftId, event_id AS EventId, org AS Org,
               event_title AS EventTitle, shift_title AS ShiftTitle, starts_at AS StartsAt, ends_at AS EndsAt,
               location_name AS LocationName, location_address AS LocationAddress, revision AS Revision
        FROM claims
        """;

    /// <summary>
    /// Remembers a confirmed claim and schedules its reminders, with the newest facts known about
    /// its shift: a ShiftChanged (or a postponement) processed before this message is not undone by
    /// the claim's older details. Returns the claim as remembered, or null when it does not stand:
    /// it was cancelled before this message was processed (its ClaimCancelled overtook it), or its
    /// shift or event is known to be cancelled. Then no confirmation is due. A claim on a postponed
    /// event stands (it is confirmed, as a place won from the waitlist while postponed must be) but
    /// gets no reminders until the event has a date again.
    /// </summary>
    public static async Task<ClaimRecord?> RecordAsync(NpgsqlTransaction tx, Guid claimId, Guid volunteerId, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(shift);
        var learnt = await ShiftFacts.LearnAsync(tx, shift, status: null, now, cancellationToken);
        await ExecuteAsync(tx, $"""
            INSERT INTO claims ({Columns}, updated_at)
            VALUES (@claim, @volunteer, {ShiftFacts.ClaimStatusOf("@shiftStatus", $"'{ClaimStatus.Active}'")}, @shift, @event, @org, @eventTitle, @shiftTitle,
                    @startsAt, @endsAt, @location, @address, @revision, @now)
            ON CONFLICT (claim_id) DO NOTHING
            """, ShiftParameters(claimId, volunteerId, learnt.Held, now, learnt.Status), cancellationToken);

        var claim = await FindAsync(tx, claimId, cancellationToken);
        if (claim is null || claim.Status == ClaimStatus.Cancelled)
        {
            return null;
        }

        await ClaimReminders.RescheduleAsync(tx, [claimId], now, cancellationToken);
        return claim;
    }

    /// <summary>Marks the claim cancelled (creating its tombstone if the claim itself was never seen) and cancels its reminders.</summary>
    public static async Task CancelAsync(NpgsqlTransaction tx, Guid claimId, Guid volunteerId, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(shift);
        var learnt = await ShiftFacts.LearnAsync(tx, shift, status: null, now, cancellationToken);
        await ExecuteAsync(tx, $"""
            INSERT INTO claims ({Columns}, updated_at)
            VALUES (@claim, @volunteer, '{ClaimStatus.Cancelled}', @shift, @event, @org, @eventTitle, @shiftTitle, @startsAt, @endsAt, @location, @address, @revision, @now)
            ON CONFLICT (claim_id) DO UPDATE SET status = '{ClaimStatus.Cancelled}', updated_at = excluded.updated_at
            """, ShiftParameters(claimId, volunteerId, learnt.Held, now), cancellationToken);

        await ClaimReminders.RescheduleAsync(tx, [claimId], now, cancellationToken);
    }

    /// <summary>
    /// A shift's title, place or time changed: the claims on it take the new details and their
    /// reminders move. Returns null, changing nothing, when newer details of the shift are held
    /// already (this change was overtaken by a later one).
    /// </summary>
    public static async Task<IReadOnlyList<ClaimRecord>?> ShiftChangedAsync(NpgsqlTransaction tx, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shift);
        var learnt = await ShiftFacts.LearnAsync(tx, shift, status: null, now, cancellationToken);
        return learnt.DetailsNewer ? await ApplyAsync(tx, [shift.ShiftId], now, cancellationToken) : null;
    }

    /// <summary>Claims released because their shift was cancelled (final, whatever arrived before).</summary>
    public static async Task<IReadOnlyList<ClaimRecord>> ShiftCancelledAsync(NpgsqlTransaction tx, ShiftDetails shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shift);
        await ShiftFacts.LearnAsync(tx, shift, ShiftStatus.Cancelled, now, cancellationToken);
        return await UpdateAndRescheduleAsync(tx,
            $"UPDATE claims SET status = '{ClaimStatus.Cancelled}', updated_at = @now WHERE shift_id = @shift AND status <> '{ClaimStatus.Cancelled}' RETURNING claim_id",
            new { shift = shift.ShiftId, now }, now, cancellationToken);
    }

    /// <summary>
    /// A postponed event has no date: its claims stand, but nobody is reminded of a time that no
    /// longer holds. With the event's shifts (their revisions), a postponement overtaken by a later
    /// reschedule changes nothing, and null says so; without them (an older sender), every claim of
    /// the event is postponed.
    /// </summary>
    public static Task<IReadOnlyList<ClaimRecord>?> EventPostponedAsync(
        NpgsqlTransaction tx, Guid eventId, IReadOnlyList<ShiftDetails>? shifts, DateTimeOffset now, CancellationToken cancellationToken) =>
        shifts is null
            ? Nullable(UpdateAndRescheduleAsync(tx,
                $"UPDATE claims SET status = '{ClaimStatus.Postponed}', updated_at = @now WHERE event_id = @event AND status = '{ClaimStatus.Active}' RETURNING claim_id",
                new { @event = eventId, now }, now, cancellationToken))
            : LearnAndApplyAsync(tx, shifts, ShiftStatus.Postponed, now, cancellationToken);

    /// <summary>
    /// An event moved, its shifts with it: the kept claims take the new times, stand again if the
    /// event was postponed, and their reminders move. With the event's shifts (new times and
    /// revisions), only what is newer than the held facts counts, and null says nothing was; without
    /// them (an older sender), every claim of the event moves by <paramref name="delta"/>.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimRecord>?> EventRescheduledAsync(
        NpgsqlTransaction tx, Guid eventId, string title, TimeSpan delta, IReadOnlyList<ShiftDetails>? shifts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (shifts is not null)
        {
            return await LearnAndApplyAsync(tx, shifts, ShiftStatus.Open, now, cancellationToken);
        }

        // The TimeSpan goes as an interval (DapperMapping's handler), not as a time of day.
        return await UpdateAndRescheduleAsync(tx, $"""
            UPDATE claims SET starts_at = starts_at + @delta, ends_at = ends_at + @delta, event_title = @title,
                              status = '{ClaimStatus.Active}', updated_at = @now
            WHERE event_id = @event AND status IN ('{ClaimStatus.Active}', '{ClaimStatus.Postponed}')
            RETURNING claim_id
            """, new { @event = eventId, title, delta, now }, now, cancellationToken);
    }

    /// <summary>An event was cancelled: final, whatever arrived before; its shifts are known as cancelled, so a claim learnt later does not stand.</summary>
    public static async Task<IReadOnlyList<ClaimRecord>> EventCancelledAsync(
        NpgsqlTransaction tx, Guid eventId, IReadOnlyList<ShiftDetails>? shifts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var shift in (shifts ?? Array.Empty<ShiftDetails>()).OrderBy(s => s.ShiftId))
        {
            await ShiftFacts.LearnAsync(tx, shift, ShiftStatus.Cancelled, now, cancellationToken);
        }

        await ShiftFacts.CancelEventAsync(tx, eventId, now, cancellationToken);
        return await UpdateAndRescheduleAsync(tx,
            $"UPDATE claims SET status = '{ClaimStatus.Cancelled}', updated_at = @now WHERE event_id = @event AND status <> '{ClaimStatus.Cancelled}' RETURNING claim_id",
            new { @event = eventId, now }, now, cancellationToken);
    }

    /// <summary>Learns each shift with its status; the claims of those that were newer follow. Null when none was.</summary>
    private static async Task<IReadOnlyList<ClaimRecord>?> LearnAndApplyAsync(
        NpgsqlTransaction tx, IReadOnlyList<ShiftDetails> shifts, string status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = new List<Guid>();
        foreach (var shift in shifts.OrderBy(s => s.ShiftId))
        {
            if ((await ShiftFacts.LearnAsync(tx, shift, status, now, cancellationToken)).Changed)
            {
                changed.Add(shift.ShiftId);
            }
        }

        return changed.Count == 0 && shifts.Count > 0 ? null : await ApplyAsync(tx, changed, now, cancellationToken);
    }

    private static async Task<IReadOnlyList<ClaimRecord>> ApplyAsync(NpgsqlTransaction tx, IEnumerable<Guid> shiftIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        await RescheduleAndFindAsync(tx, await ShiftFacts.ApplyToClaimsAsync(tx, shiftIds, now, cancellationToken), now, cancellationToken);

    private static async Task<IReadOnlyList<ClaimRecord>?> Nullable(Task<IReadOnlyList<ClaimRecord>> records) => await records;

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

    private static object ShiftParameters(Guid claimId, Guid volunteerId, ShiftDetails shift, DateTimeOffset now, string? shiftStatus = null) => new
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
        revision = shift.Revision,
        shiftStatus,
        now,
    };

    private sealed record ClaimRow(
        Guid ClaimId, Guid VolunteerId, string Status, Guid ShiftId, Guid EventId, string Org, string EventTitle, string ShiftTitle,
        DateTimeOffset StartsAt, DateTimeOffset EndsAt, string LocationName, string? LocationAddress, long Revision)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private ClaimRow()
            : this(default, default, default!, default, default, default!, default!, default!, default, default, default!, default, default)
        {
        }

        public ClaimRecord ToRecord() => new(ClaimId, VolunteerId, Status, new ShiftDetails(
            ShiftId, EventId, Org, EventTitle, ShiftTitle, StartsAt, EndsAt, LocationName, LocationAddress, Revision));
    }
}
