using System.Xml;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Coordination;

/// <summary>One shift that still needs people, as the gap list answers it.</summary>
public sealed record GapView(
    Guid ShiftId,
    Guid EventId,
    string EventTitle,
    DateTimeOffset EventStartsAt,
    string Kind,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string LocationName,
    int Capacity,
    int Minimum,
    int Confirmed,
    int Waitlisted,
    int Invited,
    int Missing,
    int Open,
    bool BelowMinimum,
    bool NewcomersWithoutExperienced,
    string? RequiredQualification,
    bool NewcomerFriendly);

public sealed record GapListView(string Org, string Within, IReadOnlyList<GapView> Items);

/// <summary>
/// GET /api/orgs/{org}/gaps?within=P14D: the published, open shifts of the coming days that are not
/// full — those below their minimum first, then the rest, each group most urgent first: the hours
/// left until the start divided by the places missing (a shift tomorrow short of two people comes
/// before one next week short of one). The gap alert mail links here.
/// </summary>
public static class GapList
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromDays(14);
    public static readonly TimeSpan LongestWithin = TimeSpan.FromDays(60);

    public static async Task<Results<Ok<GapListView>, ProblemHttpResult>> Handle(
        string org, string? within, Caller caller, NpgsqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinatorOf(org))
        {
            return Problem.Forbidden("Only the organisation's coordinators see its gaps.");
        }

        if (!TryParseWithin(within, out var span))
        {
            return Problem.Validation("within", "within must be an ISO 8601 duration from PT1H to P60D, such as P14D.");
        }

        var now = time.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var sql = $"""
            SELECT s.id AS shift_id, s.event_id, e.title AS event_title, e.starts_at AS event_starts_at, s.kind, s.title,
                   s.starts_at, s.ends_at, e.location_name, s.capacity, s.minimum, s.confirmed, s.waitlisted,
                   s.required_qualification, s.newcomer_friendly,
                   coalesce(people.newcomers, 0) AS newcomers, coalesce(people.experienced, 0) AS experienced,
                   (SELECT count(*) FROM shift_invitations i WHERE i.shift_id = s.id AND i.state = 'sent' AND i.expires_at > @now) AS invited
            FROM shifts s
            JOIN events e ON e.id = s.event_id
            LEFT JOIN LATERAL (
                SELECT count(*) FILTER (WHERE NOT {Experience.OfClaim}) AS newcomers,
                       count(*) FILTER (WHERE {Experience.OfClaim}) AS experienced
                FROM claims c
                WHERE c.shift_id = s.id AND c.status = '{ClaimStatus.Confirmed}'
            ) people ON true
            WHERE s.org = @org AND s.status = '{ShiftStatus.Open}' AND s.event_status = '{EventStatus.Published}'
              AND s.starts_at > @now AND s.starts_at <= @until AND s.confirmed < s.capacity
            """;
        var rows = await connection.QueryAsync<GapRow>(new CommandDefinition(sql, new { org, now, until = now + span }, cancellationToken: cancellationToken));
        var items = rows.Select(r => r.View()).OrderByDescending(g => g.BelowMinimum)
            .ThenBy(g => Urgency(g, now)).ThenBy(g => g.StartsAt).ThenBy(g => g.ShiftId).ToList();
        return TypedResults.Ok(new GapListView(org, XmlConvert.ToString(span), items));
    }

    /// <summary>Hours until the start per place missing (or per free place, once the minimum is met): smaller is more urgent.</summary>
    public static double Urgency(GapView gap, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(gap);
        var places = gap.BelowMinimum ? gap.Missing : gap.Open;
        return Math.Max((gap.StartsAt - now).TotalHours, 0) / Math.Max(places, 1);
    }

    public static bool TryParseWithin(string? text, out TimeSpan span)
    {
        span = DefaultWithin;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            span = XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return false;
        }

        return span >= TimeSpan.FromHours(1) && span <= LongestWithin;
    }

    private sealed class GapRow
    {
        public Guid ShiftId { get; init; }
        public Guid EventId { get; init; }
        public string EventTitle { get; init; } = "";
        public DateTimeOffset EventStartsAt { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public string LocationName { get; init; } = "";
        public int Capacity { get; init; }
        public int Minimum { get; init; }
        public int Confirmed { get; init; }
        public int Waitlisted { get; init; }
        public string? RequiredQualification { get; init; }
        public bool NewcomerFriendly { get; init; }
        public long Newcomers { get; init; }
        public long Experienced { get; init; }
        public long Invited { get; init; }

        public GapView View() => new(ShiftId, EventId, EventTitle, EventStartsAt, Kind, Title, StartsAt, EndsAt, LocationName,
            Capacity, Minimum, Confirmed, Waitlisted, Invited: (int)Invited, Missing: Math.Max(Minimum - Confirmed, 0), Open: Capacity - Confirmed,
            BelowMinimum: Confirmed < Minimum, NewcomersWithoutExperienced: Newcomers > 0 && Experienced == 0, RequiredQualification, NewcomerFriendly);
    }
}
