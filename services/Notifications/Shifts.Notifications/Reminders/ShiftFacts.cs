using Dapper;
using Npgsql;
using Shifts.Contracts;

namespace Shifts.Notifications.Reminders;

/// <summary>The states a message can say a shift is in (<c>shift_facts.status</c>).</summary>
public static class ShiftStatus
{
    /// <summary>On (again): published, or rescheduled after a postponement.</summary>
    public const string Open = "open";

    /// <summary>Its event is postponed without a new date.</summary>
    public const string Postponed = "postponed";

    /// <summary>It or its event is cancelled; final.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>What was learnt from one message about a shift: the newest facts now held, and whether the message's were newer.</summary>
/// <param name="Held">The newest details known (the message's, or newer ones learnt before).</param>
/// <param name="Status">The shift's status as last said by a message about it; null while none said it.</param>
/// <param name="DetailsNewer">The message's details were newer than what was held (or the first known): they are now held.</param>
/// <param name="StatusNewer">The message said a status, newer than the one held: it is now held.</param>
public sealed record ShiftLearnt(ShiftDetails Held, string? Status, bool DetailsNewer, bool StatusNewer)
{
    /// <summary>The message changed what is known about the shift.</summary>
    public bool Changed => DetailsNewer || StatusNewer;
}

/// <summary>
/// The newest facts known about each shift (<c>shift_facts</c>, migration 0009), ordered by the
/// shift's revision (<see cref="ShiftDetails.Revision"/>): every message about a shift is learnt here
/// first, in the consumer's (inbox) transaction, and only a newer revision replaces what is held, so
/// a message that was overtaken by a later one changes nothing. The row is locked while the
/// transaction runs, so two consumers learning about the same shift take turns.
/// </summary>
public static class ShiftFacts
{
    private const string Select = """
        SELECT shift_id AS ShiftId, event_id AS EventId, org AS Org, event_title AS EventTitle, shift_title AS ShiftTitle,
               starts_at AS StartsAt, ends_at AS EndsAt, location_name AS LocationName, location_address AS LocationAddress,
               revision AS Revision, status AS Status, status_revision AS StatusRevision
        FROM shift_facts
        """;

    /// <summary>
    /// Learns the details of a message about the shift and, when it says one, its status
    /// (<see cref="ShiftStatus"/>). Details are taken when their revision is higher than the held
    /// one's; a status when its message's revision is higher than that of the status held, and a
    /// cancellation always (nothing comes after it).
    /// </summary>
    public static async Task<ShiftLearnt> LearnAsync(NpgsqlTransaction tx, ShiftDetails shift, string? status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(shift);
        var parameters = new
        {
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
            status,
            statusRevision = status is null ? (long?)null : shift.Revision,
            now,
        };
        var inserted = await tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO shift_facts (shift_id, event_id, org, event_title, shift_title, starts_at, ends_at, location_name, location_address,
                                     revision, status, status_revision, updated_at)
            VALUES (@shift, @event, @org, @eventTitle, @shiftTitle, @startsAt, @endsAt, @location, @address, @revision, @status, @statusRevision, @now)
            ON CONFLICT (shift_id) DO NOTHING
            """, parameters, tx, cancellationToken: cancellationToken));
        if (inserted == 1)
        {
            return new ShiftLearnt(shift, status, DetailsNewer: true, StatusNewer: status is not null);
        }

        var held = await tx.Connection!.QuerySingleAsync<FactRow>(new CommandDefinition(
            $"{Select} WHERE shift_id = @shift FOR UPDATE", parameters, tx, cancellationToken: cancellationToken));
        var detailsNewer = shift.Revision > held.Revision;
        var statusNewer = status is not null && held.Status != ShiftStatus.Cancelled
            && (status == ShiftStatus.Cancelled || held.StatusRevision is not { } statusRevision || shift.Revision > statusRevision);
        if (!detailsNewer && !statusNewer)
        {
            return new ShiftLearnt(held.Details, held.Status, false, false);
        }

        await tx.Connection!.ExecuteAsync(new CommandDefinition("""
            UPDATE shift_facts SET
                event_title = CASE WHEN @detailsNewer THEN @eventTitle ELSE event_title END,
                shift_title = CASE WHEN @detailsNewer THEN @shiftTitle ELSE shift_title END,
                starts_at = CASE WHEN @detailsNewer THEN @startsAt ELSE starts_at END,
                ends_at = CASE WHEN @detailsNewer THEN @endsAt ELSE ends_at END,
                location_name = CASE WHEN @detailsNewer THEN @location ELSE location_name END,
                location_address = CASE WHEN @detailsNewer THEN @address ELSE location_address END,
                revision = CASE WHEN @detailsNewer THEN @revision ELSE revision END,
                status = CASE WHEN @statusNewer THEN @status ELSE status END,
                status_revision = CASE WHEN @statusNewer THEN @revision ELSE status_revision END,
                updated_at = @now
            WHERE shift_id = @shift
            """, new
        {
            parameters.shift, parameters.eventTitle, parameters.shiftTitle, parameters.startsAt, parameters.endsAt,
            parameters.location, parameters.address, parameters.revision, status, detailsNewer, statusNewer, now,
        }, tx, cancellationToken: cancellationToken));
        return new ShiftLearnt(detailsNewer ? shift : held.Details, statusNewer ? status : held.Status, detailsNewer, statusNewer);
    }

    /// <summary>An event was cancelled (by a sender that did not list its shifts): every shift of it known here is cancelled.</summary>
    public static Task CancelEventAsync(NpgsqlTransaction tx, Guid eventId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE shift_facts SET status = '{ShiftStatus.Cancelled}', updated_at = @now WHERE event_id = @event AND status IS DISTINCT FROM '{ShiftStatus.Cancelled}'",
            new { @event = eventId, now }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Where <see cref="LearnAsync"/> found <paramref name="learnt"/> newer: the claims on these
    /// shifts that still stand take the held details and status (a postponed shift's claims are
    /// postponed, an open one's active again, a cancelled one's cancelled). Returns the claims touched.
    /// </summary>
    internal static async Task<List<Guid>> ApplyToClaimsAsync(NpgsqlTransaction tx, IEnumerable<Guid> shiftIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var ids = shiftIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        return (await tx.Connection!.QueryAsync<Guid>(new CommandDefinition($"""
            UPDATE claims c SET event_title = f.event_title, shift_title = f.shift_title, starts_at = f.starts_at, ends_at = f.ends_at,
                                location_name = f.location_name, location_address = f.location_address, revision = f.revision,
                                status = {ClaimStatusOf("f.status", "c.status")}, updated_at = @now
            FROM shift_facts f
            WHERE f.shift_id = c.shift_id AND c.shift_id = ANY(@ids) AND c.status <> '{ClaimStatus.Cancelled}'
            RETURNING c.claim_id
            """, new { ids, now }, tx, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The SQL of a claim's status given its shift's (<paramref name="shiftStatus"/>, null: unknown, the claim's <paramref name="otherwise"/> stays).</summary>
    internal static string ClaimStatusOf(string shiftStatus, string otherwise) => $"""
        CASE {shiftStatus} WHEN '{ShiftStatus.Postponed}' THEN '{ClaimStatus.Postponed}' WHEN '{ShiftStatus.Cancelled}' THEN '{ClaimStatus.Cancelled}'
                           WHEN '{ShiftStatus.Open}' THEN '{ClaimStatus.Active}' ELSE {otherwise} END
        """;

    /// <summary>A row of <c>shift_facts</c>; Dapper fills it by property (see DapperMapping).</summary>
    private sealed class FactRow
    {
        public Guid ShiftId { get; init; }
        public Guid EventId { get; init; }
        public string Org { get; init; } = "";
        public string EventTitle { get; init; } = "";
        public string ShiftTitle { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public string LocationName { get; init; } = "";
        public string? LocationAddress { get; init; }
        public long Revision { get; init; }
        public string? Status { get; init; }
        public long? StatusRevision { get; init; }

        public ShiftDetails Details => new(ShiftId, EventId, Org, EventTitle, ShiftTitle, StartsAt, EndsAt, LocationName, LocationAddress, Revision);
    }
}
