using Dapper;
using Npgsql;
using Shifts.ServiceDefaults.Auth;

namespace Shifts.Events.Staffing;

/// <summary>What a claim, a cancellation or a waitlist join must know about a shift, read in the caller's transaction.</summary>
internal sealed record ShiftState(
    Guid Id,
    string Org,
    string Status,
    string EventStatus,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int Capacity,
    int Confirmed,
    string? RequiredQualification,
    TimeSpan CancellationDeadline)
{
    /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
    private ShiftState()
        : this(default, default!, default!, default!, default, default, default, default, default, default)
    {
    }

    /// <summary>
    /// Drafts exist only for the organisation's coordinators (404 for everyone else); anything else
    /// may be seen, and a request is then refused with a reason (403 for non-members, 409 closed).
    /// </summary>
    public bool IsVisibleTo(Caller caller) =>
        EventStatus != Statuses.EventStatus.Draft || caller.IsCoordinatorOf(Org);

    /// <summary>Claimable: open, its event published, not yet started.</summary>
    public bool IsBookable(DateTimeOffset now) => Status == Statuses.ShiftStatus.Open && EventStatus == Statuses.EventStatus.Published && StartsAt > now;

    /// <summary>Why a shift that is not bookable cannot be claimed (the detail of 409 shift-closed): its own status first, then its event's, then its start.</summary>
    public string ClosedReason(DateTimeOffset now) => (Status, EventStatus) switch
    {
        (Statuses.ShiftStatus.Cancelled, _) => "This shift was cancelled.",
        (_, Statuses.EventStatus.Cancelled) => "This event was cancelled.",
        (_, Statuses.EventStatus.Postponed) => "This event is postponed; claims open again when it has a new date.",
        (_, Statuses.EventStatus.Draft) => "This event is not published yet.",
        _ when StartsAt <= now => "This shift has already started.",
        _ => "This shift cannot be claimed.",
    };

    /// <summary>The columns of a ShiftState, from <c>shifts s LEFT JOIN organisations o</c>.</summary>
    internal const string Columns = """
        s.id, s.org, s.status, s.event_status, s.starts_at, s.ends_at, s.capacity, s.confirmed,
        s.required_qualification, coalesce(o.cancellation_deadline, interval '24 hours') AS cancellation_deadline
        """;

    public static Task<ShiftState?> LoadAsync(NpgsqlTransaction tx, Guid shiftId, CancellationToken cancellationToken, bool forUpdate = false)
    {
        var sql = $"""
            SELECT {Columns}
            FROM shifts s LEFT JOIN organisations o ON o.slug = s.org
            WHERE s.id = @shiftId
            {(forUpdate ? "FOR UPDATE OF s" : "")}
            """;
        return tx.Connection!.QuerySingleOrDefaultAsync<ShiftState>(new CommandDefinition(sql, new { shiftId }, tx, cancellationToken: cancellationToken));
    }
}
