using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Events.Staffing;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Paging;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Coordination;

/// <summary>A member who could take a shift now, and why they are suggested.</summary>
public sealed record CandidateView(Guid VolunteerId, string Name, string? Language, bool Experienced, double HoursLast30Days, bool Waitlisted, IReadOnlyList<string> Reasons);

public sealed record CandidateListView(Guid ShiftId, IReadOnlyList<CandidateView> Items);

/// <summary>
/// GET /api/shifts/{shiftId}/candidates: the organisation's members who could take the shift now —
/// qualified for it, free at that time (no confirmed claim whose time overlaps it: the test the
/// exclusion constraint claims_never_overlap makes), not on it already, not asked already nor declined — ranked: experienced people
/// first where the shift has only newcomers (pairing), then the fewest hours worked in the last 30
/// days (fairness), then by name. Names and languages only: contact details stay with the
/// volunteers service, which audits every read of them.
/// </summary>
public static class Candidates
{
    public static readonly TimeSpan FairnessWindow = TimeSpan.FromDays(30);

    public static async Task<Results<Ok<CandidateListView>, ProblemHttpResult>> Handle(
        Guid shiftId, string? limit, Caller caller, NpgsqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var pageSize = errors.Limit(limit, defaultLimit: 20);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var shift = await ShiftState.LoadAsync(tx, shiftId, cancellationToken);
        if (shift is null || !shift.IsVisibleTo(caller))
        {
            return Problem.NotFound("There is no such shift.");
        }

        if (!caller.IsCoordinatorOf(shift.Org))
        {
            return Problem.Forbidden("Only the organisation's coordinators see who could take a shift.");
        }

        var onShift = $"""
            SELECT count(*) FILTER (WHERE NOT {Experience.OfClaim}) AS newcomers, count(*) FILTER (WHERE {Experience.OfClaim}) AS experienced
            FROM claims c JOIN shifts s ON s.id = c.shift_id
            WHERE c.shift_id = @shiftId AND c.status = '{ClaimStatus.Confirmed}'
            """;
        var people = await connection.QuerySingleAsync<(long Newcomers, long Experienced)>(new CommandDefinition(onShift, new { shiftId, now }, tx, cancellationToken: cancellationToken));
        var onlyNewcomers = people.Newcomers > 0 && people.Experienced == 0;

        var sql = $"""
            SELECT v.id AS volunteer_id, v.display_name AS name, v.locale,
                   {Experience.Of("v.id", "@org")} AS experienced,
                   coalesce((SELECT sum(extract(epoch FROM (upper(w.during) - lower(w.during)))) / 3600.0
                             FROM claims w JOIN shifts ws ON ws.id = w.shift_id
                             WHERE w.volunteer_id = v.id AND ws.org = @org AND w.status = '{ClaimStatus.Confirmed}'
                               AND ws.ends_at < @now AND ws.ends_at >= @since), 0)::float8 AS hours,
                   EXISTS (SELECT 1 FROM waitlist_entries we WHERE we.shift_id = @shiftId AND we.volunteer_id = v.id) AS waitlisted
            FROM memberships m
            JOIN volunteers v ON v.id = m.volunteer_id
            WHERE m.org = @org AND v.display_name <> ''
              AND (@qualification::text IS NULL OR EXISTS (
                    SELECT 1 FROM qualifications q WHERE q.volunteer_id = v.id AND q.org = @org AND q.code = @qualification))
              AND NOT EXISTS (
                    SELECT 1 FROM claims c
                    WHERE c.volunteer_id = v.id AND c.status = '{ClaimStatus.Confirmed}' AND c.during && tstzrange(@startsAt, @endsAt, '[)'))
              AND NOT EXISTS (SELECT 1 FROM erased_volunteers x WHERE x.id = v.id)
              -- Asked already (and not answered yet), or said "not this time": not asked again.
              AND NOT EXISTS (
                    SELECT 1 FROM shift_invitations i
                    WHERE i.shift_id = @shiftId AND i.volunteer_id = v.id AND (i.state = 'declined' OR (i.state = 'sent' AND i.expires_at > @now)))
            """;
        var rows = (await connection.QueryAsync<CandidateRow>(new CommandDefinition(sql, new
        {
            org = shift.Org,
            shiftId,
            qualification = shift.RequiredQualification,
            startsAt = shift.StartsAt,
            endsAt = shift.EndsAt,
            now,
            since = now - FairnessWindow,
        }, tx, cancellationToken: cancellationToken))).ToList();

        var ranked = Rank(rows, onlyNewcomers).Take(pageSize).ToList();
        var fewHours = FewHoursThreshold(rows);
        var items = ranked.Select(r => r.View(Reasons(r, shift.RequiredQualification is not null, onlyNewcomers, fewHours))).ToList();
        return TypedResults.Ok(new CandidateListView(shiftId, items));
    }

    /// <summary>Pairing first (experienced people where the shift has only newcomers), then fairness (fewest hours), then name.</summary>
    internal static IEnumerable<CandidateRow> Rank(IEnumerable<CandidateRow> rows, bool onlyNewcomers) =>
        rows.OrderByDescending(r => onlyNewcomers && r.Experienced)
            .ThenBy(r => r.Hours)
            .ThenBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(r => r.VolunteerId);

    /// <summary>The hours at or below which a candidate counts as one of the least busy third.</summary>
    internal static double FewHoursThreshold(IReadOnlyList<CandidateRow> rows)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        var sorted = rows.Select(r => r.Hours).Order().ToList();
        return sorted[Math.Max((int)Math.Ceiling(sorted.Count / 3.0) - 1, 0)];
    }

    internal static IReadOnlyList<string> Reasons(CandidateRow row, bool needsQualification, bool onlyNewcomers, double fewHours)
    {
        var reasons = new List<string>();
        if (needsQualification)
        {
            reasons.Add("qualified");
        }

        reasons.Add("free");
        if (row.Hours <= fewHours)
        {
            reasons.Add("few-hours");
        }

        if (onlyNewcomers && row.Experienced)
        {
            reasons.Add("pairs-newcomers");
        }

        if (!row.Experienced)
        {
            reasons.Add("newcomer");
        }

        if (row.Waitlisted)
        {
            reasons.Add("waitlisted");
        }

        return reasons;
    }

    internal sealed class CandidateRow
    {
        public Guid VolunteerId { get; init; }
        public string Name { get; init; } = "";
        public string? Locale { get; init; }
        public bool Experienced { get; init; }
        public double Hours { get; init; }
        public bool Waitlisted { get; init; }

        public CandidateView View(IReadOnlyList<string> reasons) =>
            new(VolunteerId, Name, Locale, Experienced, Math.Round(Hours, 2), Waitlisted, reasons);
    }
}
