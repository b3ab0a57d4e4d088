using System.Globalization;
using System.Net;
using System.Text.Json;
using Shifts.Demo.Api;
using Shifts.Demo.Plan;

namespace Shifts.Demo;

/// <summary>What a load did (or found already done).</summary>
public sealed record DemoSummary(bool AlreadyLoaded, int Organisations, int People, int Events, int Shifts, int Claims, int Waiting, int Full, int ShortOfMinimum);

/// <summary>A shift of the demo as created: its plan, its occurrence and its id.</summary>
public sealed record CreatedShift(DemoEvent Event, int Occurrence, Guid EventId, DemoShift Plan, Guid Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>
/// Loads a <see cref="DemoPlan"/> through the public API, as the people of the demo would: the
/// platform admin opens the organisations, their admins add coordinators, coordinators add helpers
/// and create and publish events, newcomers sign up, everyone confirms their membership with the
/// link mailed to them (which logs a new person in; others log in with a login link), and helpers
/// claim shifts and join waitlists themselves. Nothing is written into a database.
/// </summary>
public sealed class DemoLoader(GatewayClient gateway, Logins logins, TextWriter log)
{
    private const int Concurrency = 8;
    private static readonly HttpStatusCode[] Created = [HttpStatusCode.Created];

    private readonly Dictionary<string, string> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Org, string Email), Guid> _members = [];

    /// <summary>The organisations each person belongs to, and those their access token was issued for.</summary>
    private readonly Dictionary<string, HashSet<string>> _memberOrgs = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _tokenOrgs = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<CreatedShift> Shifts { get; private set; } = [];

    /// <summary>Loads the plan unless its main organisation exists already (then nothing is added).</summary>
    public async Task<DemoSummary> LoadAsync(DemoPlan plan, string platformAdmin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var existing = await gateway.SendAsync(HttpMethod.Get, $"/api/orgs/{DemoPlan.MainOrg}", null, null, cancellationToken, HttpStatusCode.OK, HttpStatusCode.NotFound);
        if (existing.Status == HttpStatusCode.OK)
        {
            return new DemoSummary(true, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        Say($"loading the demo: dates from {plan.Calendar.Today:yyyy-MM-dd} ({plan.Calendar.Zone.Id}), through {gateway.BaseAddress}");
        var admin = await logins.LogInAsync(platformAdmin, cancellationToken);

        foreach (var organisation in plan.Organisations)
        {
            await gateway.SendAsync(HttpMethod.Post, "/api/orgs", admin, new
            {
                slug = organisation.Slug,
                name = organisation.Name,
                timeZone = organisation.TimeZone,
                cancellationDeadline = organisation.CancellationDeadline,
                gapAlertLeadTimes = organisation.GapAlertLeadTimes,
            }, cancellationToken, Created);
            await AddPeopleAsync(plan, organisation, admin, cancellationToken);
        }

        // A session knows the organisations it was opened for: who joined another one since logs in again.
        var claimers = plan.People.Where(p => p.Claims).Select(p => p.Email).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        await ForEachAsync(claimers, async (email, ct) => await TokenAsync(email, ct), cancellationToken);
        var people = plan.People.Select(p => p.Email).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        Say($"{people} people joined {plan.Organisations.Count} organisations by confirming the links mailed to them, and logged in");

        var shifts = new List<CreatedShift>();
        foreach (var @event in plan.Events)
        {
            shifts.AddRange(await CreateEventAsync(plan.Calendar, @event, cancellationToken));
        }

        Shifts = shifts;
        var events = shifts.Select(s => s.EventId).Distinct().Count();
        Say($"{events} events with {shifts.Count} shifts created and published");

        var (claims, waiting) = await StaffAsync(plan, shifts, cancellationToken);
        Say($"{claims} claims and {waiting} places on waitlists taken by the helpers themselves");

        foreach (var @event in plan.Events.Where(e => e.PostponedBecause is not null))
        {
            foreach (var eventId in shifts.Where(s => s.Event == @event).Select(s => s.EventId).Distinct())
            {
                await gateway.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/postpone", _tokens[@event.Coordinator],
                    new { reason = @event.PostponedBecause }, cancellationToken, HttpStatusCode.OK);
            }

            Say($"'{@event.Title}' postponed, its claims kept");
        }

        var live = shifts.Where(s => s.Event.PostponedBecause is null).ToList();
        return new DemoSummary(
            false,
            plan.Organisations.Count,
            people,
            events,
            shifts.Count,
            claims,
            waiting,
            live.Count(s => s.Plan.Fill[s.Occurrence] == s.Plan.Capacity),
            live.Count(s => s.Plan.Fill[s.Occurrence] < s.Plan.Minimum));
    }

    /// <summary>The organisation's admin (added by the platform admin), its coordinators (added by the admin), helpers (added by a coordinator) and newcomers (signed up).</summary>
    private async Task AddPeopleAsync(DemoPlan plan, DemoOrganisation organisation, string platformAdmin, CancellationToken cancellationToken)
    {
        var people = plan.People.Where(p => p.Org == organisation.Slug).ToList();

        Task AddAsync(DemoPerson person, string by, IReadOnlyList<string> qualifications, CancellationToken ct) =>
            JoinAsync(organisation.Slug, person, ct2 => gateway.SendAsync(HttpMethod.Post, $"/api/orgs/{organisation.Slug}/members", by, new
            {
                name = person.Name,
                email = person.Email,
                role = person.Role,
                locale = person.Locale,
                qualifications,
            }, ct2, HttpStatusCode.Accepted), ct);

        // The admin arrives before the qualifications exist, then grants their own.
        var orgAdmin = people.Single(p => p.Joined == Joined.ByPlatformAdmin);
        await AddAsync(orgAdmin, platformAdmin, [], cancellationToken);
        var adminToken = await TokenAsync(orgAdmin.Email, cancellationToken);
        foreach (var qualification in organisation.Qualifications)
        {
            await gateway.SendAsync(HttpMethod.Post, $"/api/orgs/{organisation.Slug}/qualifications", adminToken,
                new { code = qualification.Code, name = qualification.Name }, cancellationToken, Created);
        }

        await gateway.SendAsync(HttpMethod.Put, $"/api/orgs/{organisation.Slug}/members/{_members[(organisation.Slug, orgAdmin.Email)]}/qualifications", adminToken,
            new { codes = orgAdmin.Qualifications }, cancellationToken, HttpStatusCode.OK);

        var coordinators = people.Where(p => p.Joined == Joined.ByOrgAdmin).ToList();
        foreach (var coordinator in coordinators)
        {
            await AddAsync(coordinator, adminToken, coordinator.Qualifications, cancellationToken);
        }

        var inviter = coordinators.Count > 0 ? await TokenAsync(coordinators[0].Email, cancellationToken) : adminToken;
        foreach (var coordinator in coordinators.Skip(1))
        {
            await TokenAsync(coordinator.Email, cancellationToken);
        }

        // Helpers and newcomers each wait for their own mail: several at once.
        await ForEachAsync(people.Where(p => p.Joined == Joined.ByCoordinator), (helper, ct) => AddAsync(helper, inviter, helper.Qualifications, ct), cancellationToken);
        await ForEachAsync(people.Where(p => p.Joined == Joined.SignUp), (newcomer, ct) =>
            JoinAsync(organisation.Slug, newcomer, ct2 => gateway.SendAsync(HttpMethod.Post, $"/api/orgs/{organisation.Slug}/signup", null,
                new { name = newcomer.Name, email = newcomer.Email, locale = newcomer.Locale }, ct2, HttpStatusCode.Accepted), ct), cancellationToken);

        Say($"{organisation.Slug}: {people.Count} members ({people.Count(p => p.Role == "admin")} admin, {coordinators.Count} coordinators, {people.Count(p => p.Newcomer)} newcomers through the sign-up)");
    }

    /// <summary>
    /// Someone asks for the person to join (an invitation or their own sign-up); the person clicks the
    /// confirmation link in the mail, which makes them a member and, if they are new, logs them in.
    /// </summary>
    private async Task JoinAsync(string org, DemoPerson person, Func<CancellationToken, Task> ask, CancellationToken cancellationToken)
    {
        var before = await logins.MailIdsAsync(person.Email, cancellationToken);
        await ask(cancellationToken);
        var (id, accessToken) = await logins.ConfirmAsync(person.Email, before, cancellationToken);
        lock (_tokens)
        {
            _members[(org, person.Email)] = id;
            if (!_memberOrgs.TryGetValue(person.Email, out var orgs))
            {
                _memberOrgs[person.Email] = orgs = new HashSet<string>(StringComparer.Ordinal);
            }

            orgs.Add(org);
            if (accessToken is not null)
            {
                _tokens[person.Email] = accessToken;
                _tokenOrgs[person.Email] = [org];
            }
        }
    }

    /// <summary>An access token that knows every organisation the person belongs to by now: the one they have, or a new login.</summary>
    private async Task<string> TokenAsync(string email, CancellationToken cancellationToken)
    {
        lock (_tokens)
        {
            if (_tokens.TryGetValue(email, out var current) && _tokenOrgs[email].IsSupersetOf(_memberOrgs[email]))
            {
                return current;
            }
        }

        var token = await logins.LogInAsync(email, cancellationToken);
        lock (_tokens)
        {
            _tokens[email] = token;
            _tokenOrgs[email] = [.. _memberOrgs[email]];
        }

        return token;
    }

    /// <summary>Creates the event (a series: all its occurrences at once), publishes it, and answers its shifts with their ids.</summary>
    private async Task<List<CreatedShift>> CreateEventAsync(LocalCalendar calendar, DemoEvent @event, CancellationToken cancellationToken)
    {
        var token = _tokens[@event.Coordinator];
        var date = @event.Date;
        var body = new
        {
            title = @event.Title,
            kind = @event.Kind,
            description = @event.Description,
            location = new { name = @event.Location, address = @event.Address },
            startsAt = calendar.At(date, @event.Start),
            endsAt = calendar.At(date.AddDays(@event.EndDay), @event.End),
            recurrence = @event.Recurrence is { } rule
                ? new { weekdays = rule.Weekdays.Select(d => d.ToString().ToLowerInvariant()).ToArray(), count = rule.Count }
                : null,
            shifts = @event.Shifts.Select(s => new
            {
                title = s.Title,
                startsAt = calendar.At(date, s.Start),
                endsAt = calendar.At(date.AddDays(s.EndDay), s.End),
                capacity = s.Capacity,
                minimum = s.Minimum,
                requiredQualification = s.Qualification,
                newcomerFriendly = s.NewcomerFriendly,
            }).ToArray(),
        };

        // The events service learns of a new organisation (404 until then), of the coordinator's
        // membership (403 until then: it authorises from its replica) and of the organisation's
        // qualifications (a shift requiring one is 400 until then) by message, a moment later.
        var created = await gateway.SendEventuallyAsync(HttpMethod.Post, $"/api/orgs/{@event.Org}/events", token, body,
            answer => answer.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden
                || (answer.Status == HttpStatusCode.BadRequest && answer.Body.ToString().Contains(".requiredQualification", StringComparison.Ordinal)),
            cancellationToken, Created);
        var eventId = created.Body.GetProperty("id").GetGuid();
        var occurrences = created.Body.TryGetProperty("occurrences", out var list)
            ? list.EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList()
            : [eventId];
        var dates = @event.Dates();
        if (occurrences.Count != dates.Count)
        {
            throw new DemoException($"'{@event.Title}' was created with {occurrences.Count} occurrences, the plan has {dates.Count}");
        }

        await gateway.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/publish{(@event.Recurrence is null ? "" : "?series=true")}", token, null, cancellationToken, HttpStatusCode.OK);

        var shifts = new List<CreatedShift>();
        for (var i = 0; i < occurrences.Count; i++)
        {
            var view = (await gateway.GetAsync($"/api/events/{occurrences[i]}", token, cancellationToken)).Body;
            var existing = view.GetProperty("shifts").EnumerateArray().ToList();
            foreach (var planned in @event.Shifts)
            {
                var startsAt = calendar.At(dates[i], planned.Start);
                var match = existing.SingleOrDefault(s => s.GetProperty("title").GetString() == planned.Title && s.GetProperty("startsAt").GetDateTimeOffset() == startsAt);
                if (match.ValueKind != JsonValueKind.Object)
                {
                    throw new DemoException($"'{@event.Title}' on {dates[i]:yyyy-MM-dd} has no shift '{planned.Title}' at {startsAt:O}");
                }

                shifts.Add(new CreatedShift(@event, i, occurrences[i], planned, match.GetProperty("id").GetGuid(), startsAt, match.GetProperty("endsAt").GetDateTimeOffset()));
            }
        }

        return shifts;
    }

    /// <summary>Helpers claim their shifts, then others join the waitlists of the full ones.</summary>
    private async Task<(int Claims, int Waiting)> StaffAsync(DemoPlan plan, IReadOnlyList<CreatedShift> shifts, CancellationToken cancellationToken)
    {
        var picker = new StaffingPicker(plan.People);
        var claims = new List<(Guid Shift, string Email)>();
        var waits = new List<(Guid Shift, string Email)>();
        foreach (var shift in shifts)
        {
            var holders = picker.Claimants(shift.Event.Org, shift.Plan, shift.StartsAt, shift.EndsAt, shift.Plan.Fill[shift.Occurrence]);
            claims.AddRange(holders.Select(p => (shift.Id, p.Email)));
            var waiting = picker.Waiting(shift.Event.Org, shift.Plan, shift.StartsAt, shift.EndsAt, shift.Plan.WaitlistAt(shift.Occurrence), holders);
            waits.AddRange(waiting.Select(p => (shift.Id, p.Email)));
        }

        // A required qualification reaches the events service by message: a 403 can be a moment early.
        static bool NotYet(ApiAnswer answer) => answer.Status == HttpStatusCode.Forbidden;
        await ForEachAsync(claims, (claim, ct) => gateway.SendEventuallyAsync(HttpMethod.Post, $"/api/shifts/{claim.Shift}/claims", _tokens[claim.Email], null, NotYet, ct, Created), cancellationToken);
        await ForEachAsync(waits, (wait, ct) => gateway.SendEventuallyAsync(HttpMethod.Post, $"/api/shifts/{wait.Shift}/waitlist", _tokens[wait.Email], null, NotYet, ct, Created), cancellationToken);
        return (claims.Count, waits.Count);
    }

    private static async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> action, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (item, ct) => await action(item, ct));

    private void Say(string line) => log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {line}"));
}
