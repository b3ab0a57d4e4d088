using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// Issue 4's authorization matrix: every endpoint the services map, called through the gateway by
/// each persona, answers exactly the status docs/api.md and the OpenAPI documents give — 401 <c>unauthenticated</c> without a
/// token where one is needed, 403 <c>forbidden</c> for a signed-in caller who may not, 404
/// <c>not-found</c> where the resource is not visible to the caller, a 2xx for those allowed.
/// Bad tokens (expired, foreign key, <c>alg: none</c>, tampered) are 401 at the gateway and at each service.
/// </summary>
/// <remarks>
/// Org A and org B are set up once (per test system) by the platform admin and their coordinators.
/// Rows that change state act on fresh resources per call (a new event, shift, member, e-mail
/// address), so the matrix does not depend on the order rows or personas run in.
/// </remarks>
[Collection(nameof(ShiftsSystemCollection))]
public sealed partial class AuthorizationMatrixTests(ShiftsSystem system)
{
    public enum Persona
    {
        Anonymous,
        HelperA,
        HelperB,
        CoordinatorA,
        CoordinatorB,
        AdminA,
        PlatformAdmin,
    }

    /// <summary>One endpoint, how to call it (with fresh resources where it changes state), and the status each persona must get.</summary>
    private sealed record Row(string Endpoint, Func<Ctx, Task<HttpRequestMessage>> Request, int[] Expected);

    private static Row R(string endpoint, Func<Ctx, HttpRequestMessage> request, params int[] expected) =>
        new(endpoint, c => Task.FromResult(request(c)), expected);

    private static Row RSetup(string endpoint, Func<Ctx, Task<HttpRequestMessage>> request, params int[] expected) =>
        new(endpoint, request, expected);

    // Shift ids of published events are public (GET /api/events/{id} lists them to anyone), so for a
    // signed-in non-member a published shift is "visible but not allowed": 403, like POST …/claims and
    // POST …/waitlist already answer. Drafts are invisible to everyone but the organisation's coordinators: 404.
    private static readonly Row[] Rows =
    [
        //                                                                                                                        anon helpA helpB coorA coorB admA  plat
        // ---- volunteers: organisations
        R("POST /api/orgs", c => Post("/api/orgs", new { slug = Slug(), name = "Neu", timeZone = "Europe/Berlin" }),             401, 403, 403, 403, 403, 403, 201),
        R("GET /api/orgs/{A}", c => Get($"/api/orgs/{c.W.OrgA}"),                                                                200, 200, 200, 200, 200, 200, 200),
        R("PATCH /api/orgs/{A}", c => Patch($"/api/orgs/{c.W.OrgA}", new { name = "Org A" }),                                    401, 403, 403, 403, 403, 200, 200),
        R("POST /api/orgs/{A}/signup", c => Post($"/api/orgs/{c.W.OrgA}/signup", new { name = "Neu", email = Email() }),         202, 202, 202, 202, 202, 202, 202),
        // ---- volunteers: members and qualifications
        // An added member is an invitation (202) until the person confirms from the mail.
        R("POST /api/orgs/{A}/members (helper)", c => Post($"/api/orgs/{c.W.OrgA}/members", new { name = "Neu", email = Email() }), 401, 403, 403, 202, 403, 202, 202),
        R("POST /api/orgs/{A}/members (coordinator)", c => Post($"/api/orgs/{c.W.OrgA}/members", new { name = "Neu", email = Email(), role = "coordinator" }),
                                                                                                                                 401, 403, 403, 403, 403, 202, 202),
        R("GET /api/orgs/{A}/members/invitations", c => Get($"/api/orgs/{c.W.OrgA}/members/invitations"),                        401, 403, 403, 200, 403, 200, 403),
        RSetup("DELETE /api/orgs/{A}/members/invitations/{fresh}", async c => Delete($"/api/orgs/{c.W.OrgA}/members/invitations/{await c.W.FreshInvitationAsync()}"),
                                                                                                                                 401, 403, 403, 204, 403, 204, 204),
        RSetup("POST /api/memberships/confirm (a fresh sign-up's link)", async c => Post("/api/memberships/confirm", new { token = await c.W.FreshConfirmationTokenAsync() }),
                                                                                                                                 200, 200, 200, 200, 200, 200, 200),
        RSetup("DELETE /api/orgs/{A}/members/{fresh helper}", async c => Delete($"/api/orgs/{c.W.OrgA}/members/{await c.W.AddMemberAsync(c.W.OrgA, "helper", "Leaver")}"),
                                                                                                                                 401, 403, 403, 204, 403, 204, 204),
        RSetup("DELETE /api/orgs/{A}/members/me (a throwaway twin of the persona)", c => c.LeaveAsThrowawayTwinAsync(),           401, 204, 404, 204, 404, 204, 404),
        R("GET /api/orgs/{A}/members", c => Get($"/api/orgs/{c.W.OrgA}/members"),                                                401, 403, 403, 200, 403, 200, 403),
        R("GET /api/orgs/{B}/members", c => Get($"/api/orgs/{c.W.OrgB}/members"),                                                401, 403, 403, 403, 200, 403, 403),
        R("GET /api/orgs/{A}/members/{id}", c => Get($"/api/orgs/{c.W.OrgA}/members/{c.W.TargetA}"),                              401, 403, 403, 200, 403, 200, 403),
        R("PUT /api/orgs/{A}/members/{id}/role", c => Put($"/api/orgs/{c.W.OrgA}/members/{c.W.TargetA}/role", new { role = "helper" }),
                                                                                                                                 401, 403, 403, 403, 403, 200, 200),
        R("PUT /api/orgs/{A}/members/{id}/qualifications", c => Put($"/api/orgs/{c.W.OrgA}/members/{c.W.TargetA}/qualifications", new { codes = new[] { "first-aid" } }),
                                                                                                                                 401, 403, 403, 200, 403, 200, 403),
        R("GET /api/orgs/{A}/qualifications", c => Get($"/api/orgs/{c.W.OrgA}/qualifications"),                                  401, 200, 403, 200, 403, 200, 200),
        R("POST /api/orgs/{A}/qualifications", c => Post($"/api/orgs/{c.W.OrgA}/qualifications", new { code = Code(), name = "Neu" }),
                                                                                                                                 401, 403, 403, 201, 403, 201, 403),
        // ---- volunteers: the caller's own data
        R("GET /api/me", c => Get("/api/me"),                                                                                    401, 200, 200, 200, 200, 200, 200),
        R("PATCH /api/me", c => Patch("/api/me", new { locale = "de" }),                                                         401, 200, 200, 200, 200, 200, 200),
        R("GET /api/me/export", c => Get("/api/me/export"),                                                                      401, 200, 200, 200, 200, 200, 200),
        RSetup("DELETE /api/me (a throwaway twin of the persona)", c => c.EraseThrowawayTwinAsync(),                             401, 202, 202, 202, 202, 202, 202),
        R("POST /api/me/email", c => Post("/api/me/email", new { email = Email() }),                                             401, 202, 202, 202, 202, 202, 202),
        RSetup("POST /api/me/email/confirm (a fresh change's link)", async c => Post("/api/me/email/confirm", new { token = await c.W.FreshEmailChangeTokenAsync() }),
                                                                                                                                 200, 200, 200, 200, 200, 200, 200),
        // ---- volunteers: login and keys
        R("POST /api/auth/login-links", c => Post("/api/auth/login-links", new { email = Email() }),                             202, 202, 202, 202, 202, 202, 202),
        RSetup("POST /api/auth/sessions", async c => Post("/api/auth/sessions", new { token = await c.W.FreshLoginTokenAsync() }), 200, 200, 200, 200, 200, 200, 200),
        R("GET /.well-known/jwks.json", c => Get("/.well-known/jwks.json"),                                                      200, 200, 200, 200, 200, 200, 200),
        R("GET /.well-known/openid-configuration", c => Get("/.well-known/openid-configuration"),                                200, 200, 200, 200, 200, 200, 200),
        // The refresh token is the credential: whoever holds it gets the next pair, signed in or not.
        RSetup("POST /api/auth/refresh (a fresh session's refresh token)", async c => Post("/api/auth/refresh", new { refreshToken = await c.W.FreshRefreshTokenAsync() }),
                                                                                                                                 200, 200, 200, 200, 200, 200, 200),
        // Someone else's (or no one's) refresh token ends nothing, and the answer is the same.
        R("POST /api/auth/logout (a refresh token that is not the caller's)", c => Post("/api/auth/logout", new { refreshToken = new string('A', 43) }),
                                                                                                                                 401, 204, 204, 204, 204, 204, 204),
        // ---- events: events
        R("POST /api/orgs/{A}/events", c => Post($"/api/orgs/{c.W.OrgA}/events", c.W.NewEvent()),                               401, 403, 403, 201, 403, 201, 403),
        R("GET /api/orgs/{A}/events", c => Get($"/api/orgs/{c.W.OrgA}/events"),                                                  200, 200, 200, 200, 200, 200, 200),
        R("GET /api/events/{published A}", c => Get($"/api/events/{c.W.PublishedA}"),                                            200, 200, 200, 200, 200, 200, 200),
        R("GET /api/events/{draft A}", c => Get($"/api/events/{c.W.DraftA}"),                                                    404, 404, 404, 200, 404, 200, 404),
        R("GET /api/events/{draft B}", c => Get($"/api/events/{c.W.DraftB}"),                                                    404, 404, 404, 404, 200, 404, 404),
        R("PATCH /api/events/{published A}", c => Patch($"/api/events/{c.W.PublishedA}", new { description = "Bitte pünktlich" }), 401, 403, 403, 200, 403, 200, 403),
        R("PATCH /api/events/{draft A}", c => Patch($"/api/events/{c.W.DraftA}", new { description = "Entwurf" }),               401, 404, 404, 200, 404, 200, 404),
        RSetup("POST /api/events/{fresh draft A}/publish", async c => Post($"/api/events/{(await c.W.FreshEventAsync(publish: false)).Event}/publish"),
                                                                                                                                 401, 404, 404, 200, 404, 200, 404),
        R("POST /api/events/{published A}/publish", c => Post($"/api/events/{c.W.PublishedA}/publish"),                          401, 403, 403, 200, 403, 200, 403),
        RSetup("POST /api/events/{fresh published A}/postpone", async c => Post($"/api/events/{(await c.W.FreshEventAsync()).Event}/postpone", new { reason = "Regen" }),
                                                                                                                                 401, 403, 403, 200, 403, 200, 403),
        RSetup("POST /api/events/{fresh published A}/reschedule", async c =>
        {
            var fresh = await c.W.FreshEventAsync();
            var (startsAt, endsAt) = c.W.NextSlot();
            return Post($"/api/events/{fresh.Event}/reschedule", new { startsAt, endsAt });
        },                                                                                                                       401, 403, 403, 200, 403, 200, 403),
        RSetup("POST /api/events/{fresh published A}/cancel", async c => Post($"/api/events/{(await c.W.FreshEventAsync()).Event}/cancel", new { reason = "Abgesagt" }),
                                                                                                                                 401, 403, 403, 200, 403, 200, 403),
        // ---- events: issue 15 part E (the editor's consequences preview; it changes nothing, so the shared events do)
        R("POST /api/events/{published A}/preview", c => Post($"/api/events/{c.W.PublishedA}/preview", new { action = "cancel" }),  401, 403, 403, 200, 403, 200, 403),
        R("POST /api/events/{draft A}/preview", c => Post($"/api/events/{c.W.DraftA}/preview", new { action = "publish" }),         401, 404, 404, 200, 404, 200, 404),
        // ---- end of part E
        // ---- events: shifts
        R("POST /api/events/{published A}/shifts", c => Post($"/api/events/{c.W.PublishedA}/shifts", c.W.NewShift()),            401, 403, 403, 201, 403, 201, 403),
        R("POST /api/events/{draft A}/shifts", c => Post($"/api/events/{c.W.DraftA}/shifts", c.W.NewShift()),                    401, 404, 404, 201, 404, 201, 404),
        R("GET /api/shifts/{published A}", c => Get($"/api/shifts/{c.W.ShiftA}"),                                                401, 200, 403, 200, 403, 200, 403),
        R("GET /api/shifts/{published B}", c => Get($"/api/shifts/{c.W.ShiftB}"),                                                401, 403, 200, 403, 200, 403, 403),
        R("GET /api/shifts/{draft A}", c => Get($"/api/shifts/{c.W.DraftShiftA}"),                                               401, 404, 404, 200, 404, 200, 404),
        R("PATCH /api/shifts/{published A}", c => Patch($"/api/shifts/{c.W.ShiftA}", new { title = "Standbetreuung" }),          401, 403, 403, 200, 403, 200, 403),
        R("PATCH /api/shifts/{draft A}", c => Patch($"/api/shifts/{c.W.DraftShiftA}", new { title = "Aufbau" }),                 401, 404, 404, 200, 404, 200, 404),
        RSetup("POST /api/shifts/{fresh published A}/cancel", async c => Post($"/api/shifts/{(await c.W.FreshEventAsync()).Shift}/cancel", new { reason = "Zu wenige" }),
                                                                                                                                 401, 403, 403, 200, 403, 200, 403),
        RSetup("POST /api/shifts/{fresh draft A}/cancel", async c => Post($"/api/shifts/{(await c.W.FreshEventAsync(publish: false)).Shift}/cancel", new { reason = "Zu wenige" }),
                                                                                                                                 401, 404, 404, 200, 404, 200, 404),
        R("GET /api/orgs/{A}/shifts?open=true", c => Get($"/api/orgs/{c.W.OrgA}/shifts?open=true"),                              401, 200, 403, 200, 403, 200, 403),
        R("GET /api/orgs/{B}/shifts?open=true", c => Get($"/api/orgs/{c.W.OrgB}/shifts?open=true"),                              401, 403, 200, 403, 200, 403, 403),
        // ---- events: the coordinators' tools
        R("GET /api/orgs/{A}/gaps", c => Get($"/api/orgs/{c.W.OrgA}/gaps"),                                                      401, 403, 403, 200, 403, 200, 403),
        R("GET /api/orgs/{B}/gaps", c => Get($"/api/orgs/{c.W.OrgB}/gaps"),                                                      401, 403, 403, 403, 200, 403, 403),
        R("GET /api/shifts/{published A}/candidates", c => Get($"/api/shifts/{c.W.ShiftA}/candidates"),                          401, 403, 403, 200, 403, 200, 403),
        R("GET /api/shifts/{draft A}/candidates", c => Get($"/api/shifts/{c.W.DraftShiftA}/candidates"),                         401, 404, 404, 200, 404, 200, 404),
        RSetup("POST /api/shifts/{fresh published A}/assignments (a helper of A)", async c =>
            Post($"/api/shifts/{(await c.W.FreshEventAsync()).Shift}/assignments", new { volunteerId = c.W.TargetA }),          401, 403, 403, 201, 403, 201, 403),
        RSetup("DELETE /api/shifts/{fresh published A}/claims/{a helper's claim}", async c =>
        {
            var shift = (await c.W.FreshEventAsync()).Shift;
            var claim = await c.W.ExpectAsync(HttpStatusCode.Created, await c.W.SendAsync(c.W.Actors[Persona.CoordinatorA].Token,
                Post($"/api/shifts/{shift}/assignments", new { volunteerId = c.W.TargetA })));
            return Delete($"/api/shifts/{shift}/claims/{claim.GetProperty("id").GetGuid()}");
        },                                                                                                                       401, 403, 403, 204, 403, 204, 403),
        R("POST /api/events/{published A}/messages", c => Post($"/api/events/{c.W.PublishedA}/messages", new { subject = "Treffpunkt", body = "An der Straßenbahn" }),
                                                                                                                                 401, 403, 403, 202, 403, 202, 403),
        R("POST /api/events/{draft A}/messages", c => Post($"/api/events/{c.W.DraftA}/messages", new { subject = "Treffpunkt", body = "Entwurf" }),
                                                                                                                                 401, 404, 404, 202, 404, 202, 404),
        RSetup("POST /api/shifts/{fresh published A}/invitations (a helper of A)", async c =>
            Post($"/api/shifts/{(await c.W.FreshEventAsync()).Shift}/invitations", new { volunteerIds = new[] { c.W.TargetA } }), 401, 403, 403, 202, 403, 202, 403),
        R("GET /api/shifts/{published A}/invitations", c => Get($"/api/shifts/{c.W.ShiftA}/invitations"),                        401, 403, 403, 200, 403, 200, 403),
        R("GET /api/shifts/{draft A}/invitations", c => Get($"/api/shifts/{c.W.DraftShiftA}/invitations"),                       401, 404, 404, 200, 404, 200, 404),
        // The mailed token is the credential, whoever sends it: an unknown one is not found for everyone.
        R("POST /api/invitations/accept (an unknown token)", c => Post("/api/invitations/accept", new { token = new string('A', 43) }), 404, 404, 404, 404, 404, 404, 404),
        R("POST /api/invitations/decline (an unknown token)", c => Post("/api/invitations/decline", new { token = new string('A', 43) }), 404, 404, 404, 404, 404, 404, 404),
        // ---- events: claims and waitlist (each call on a fresh shift in a slot of its own, so no claim overlaps another)
        RSetup("POST /api/shifts/{fresh published A}/claims", async c => Post($"/api/shifts/{(await c.W.FreshEventAsync()).Shift}/claims"),
                                                                                                                                 401, 201, 403, 201, 403, 201, 403),
        R("POST /api/shifts/{draft A}/claims", c => Post($"/api/shifts/{c.W.DraftShiftA}/claims"),
            // Coordinators see the draft, and are told it is closed (409 shift-closed): not an authorization answer, but the right one.
                                                                                                                                 401, 404, 404, 409, 404, 409, 404),
        RSetup("DELETE /api/shifts/{fresh published A}/claims/mine (after claiming, where allowed)", async c =>
        {
            var shift = (await c.W.FreshEventAsync()).Shift;
            if (c.IsMemberOfA)
            {
                await c.W.ExpectAsync(HttpStatusCode.Created, await c.W.SendAsync(c.Token, Post($"/api/shifts/{shift}/claims")));
            }

            return Delete($"/api/shifts/{shift}/claims/mine");
        },                                                                                                                       401, 204, 403, 204, 403, 204, 403),
        RSetup("POST /api/shifts/{fresh full published A}/waitlist", async c =>
        {
            var shift = (await c.W.FreshEventAsync(capacity: 1)).Shift;
            await c.W.ExpectAsync(HttpStatusCode.Created, await c.W.SendAsync(c.W.FillerToken, Post($"/api/shifts/{shift}/claims")));
            return Post($"/api/shifts/{shift}/waitlist");
        },                                                                                                                       401, 201, 403, 201, 403, 201, 403),
        R("GET /api/me/shifts", c => Get("/api/me/shifts"),                                                                      401, 200, 200, 200, 200, 200, 200),
        // ---- events: plans, attendance and hours (coordinators; a helper sees only their own hours)
        R("GET /api/events/{published A}/plan", c => Get($"/api/events/{c.W.PublishedA}/plan"),                                  401, 403, 403, 200, 403, 200, 403),
        R("GET /api/events/{published A}/attendance", c => Get($"/api/events/{c.W.PublishedA}/attendance"),                      401, 403, 403, 200, 403, 200, 403),
        // The fresh shift is days ahead: coordinators are told it is not yet time (409 outside-shift-time), everyone else may not.
        RSetup("POST /api/shifts/{fresh claimed A}/claims/{its claim}/check-in", async c =>
        {
            var (shift, claim) = await FreshClaimAsync(c);
            return Post($"/api/shifts/{shift}/claims/{claim}/check-in");
        },                                                                                                                       401, 403, 403, 409, 403, 409, 403),
        RSetup("POST /api/shifts/{fresh claimed A}/claims/{its claim}/no-show", async c =>
        {
            var (shift, claim) = await FreshClaimAsync(c);
            return Post($"/api/shifts/{shift}/claims/{claim}/no-show");
        },                                                                                                                       401, 403, 403, 409, 403, 409, 403),
        R("GET /api/orgs/{A}/hours", c => Get($"/api/orgs/{c.W.OrgA}/hours"),                                                    401, 200, 403, 200, 403, 200, 403),
        // ---- events: calendar (a feed's URL is its key: whoever holds it reads that feed, signed in or not)
        R("GET /api/me/calendar", c => Get("/api/me/calendar"),                                                                  401, 200, 200, 200, 200, 200, 200),
        R("POST /api/me/calendar/rotate", c => Post("/api/me/calendar/rotate"),                                                  401, 200, 200, 200, 200, 200, 200),
        RSetup("GET /api/calendar/{a helper's feed}.ics", async c => Get(await c.W.FillerFeedPathAsync()),                       200, 200, 200, 200, 200, 200, 200),
        R("GET /api/calendar/{unknown}.ics", c => Get($"/api/calendar/{new string('A', 43)}.ics"),                               404, 404, 404, 404, 404, 404, 404),
        R("GET /api/shifts/{published A}/calendar.ics", c => Get($"/api/shifts/{c.W.ShiftA}/calendar.ics"),                      401, 200, 403, 200, 403, 200, 403),
        R("GET /api/shifts/{draft A}/calendar.ics", c => Get($"/api/shifts/{c.W.DraftShiftA}/calendar.ics"),                     401, 404, 404, 200, 404, 200, 404),
        // ---- notifications
        R("GET /api/me/notifications", c => Get("/api/me/notifications"),                                                        401, 200, 200, 200, 200, 200, 200),
        R("GET /api/orgs/{A}/deliveries", c => Get($"/api/orgs/{c.W.OrgA}/deliveries"),                                          401, 403, 403, 200, 403, 200, 403),
        R("GET /api/orgs/{B}/deliveries", c => Get($"/api/orgs/{c.W.OrgB}/deliveries"),                                          401, 403, 403, 403, 200, 403, 403),
    ];

    public static TheoryData<string> Endpoints => [.. Rows.Select(r => r.Endpoint)];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_persona_gets_exactly_the_status_the_contract_gives(string endpoint)
    {
        var row = Rows.Single(r => r.Endpoint == endpoint);
        Assert.Equal(Enum.GetValues<Persona>().Length, row.Expected.Length);
        var world = await World.GetAsync(system);

        var failures = new List<string>();
        foreach (var persona in Enum.GetValues<Persona>())
        {
            var expected = row.Expected[(int)persona];
            var context = new Ctx(world, persona);
            using var request = await row.Request(context);
            if (request.Headers.Authorization is null && persona != Persona.Anonymous)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.Token);
            }

            using var response = await system.Gateway.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var actual = (int)response.StatusCode;
            if (actual != expected)
            {
                failures.Add($"{endpoint} as {persona}: expected {expected}, got {actual}: {Shorten(body)}");
            }
            else if (ExpectedCode(expected) is { } code && ProblemCode(body) != code)
            {
                failures.Add($"{endpoint} as {persona}: {actual} as expected, but the problem's code is '{ProblemCode(body)}', not '{code}': {Shorten(body)}");
            }
            else if (endpoint == "GET /api/orgs/{A}/events" && body.Contains(world.DraftA.ToString(), StringComparison.Ordinal) != context.IsCoordinatorOfA)
            {
                failures.Add($"{endpoint} as {persona}: the draft event is {(context.IsCoordinatorOfA ? "missing" : "listed")}: {Shorten(body)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {row.Expected.Length} personas got the wrong answer:\n" + string.Join("\n", failures));
    }

    public enum BadToken
    {
        Expired,
        SignedByAnotherKey,
        AlgNone,
        Tampered,
    }

    /// <summary>Where a token is checked: the gateway, or each service called directly (bypassing the gateway).</summary>
    public static TheoryData<string, string> TokenCheckpoints => new()
    {
        { "gateway", "/api/me" },
        { "gateway", "/api/me/shifts" },
        { "gateway", "/api/me/notifications" },
        { "gateway", "/api/events/{published A}" },
        { "volunteers", "/api/me" },
        { "volunteers", "/api/orgs/{A}" },
        { "events", "/api/me/shifts" },
        { "events", "/api/events/{published A}" },
        { "notifications", "/api/me/notifications" },
    };

    [Theory]
    [MemberData(nameof(TokenCheckpoints))]
    public async Task Expired_foreign_unsigned_and_tampered_tokens_are_401_at_the_gateway_and_at_each_service(string target, string pathTemplate)
    {
        var world = await World.GetAsync(system);
        var path = pathTemplate.Replace("{published A}", world.PublishedA.ToString(), StringComparison.Ordinal).Replace("{A}", world.OrgA, StringComparison.Ordinal);
        var baseAddress = target switch
        {
            "gateway" => system.Gateway.BaseAddress!,
            "volunteers" => system.VolunteersAddress,
            "events" => system.EventsAddress,
            "notifications" => system.NotificationsAddress,
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
        };
        using var client = new HttpClient { BaseAddress = baseAddress };
        var helper = world.Actors[Persona.HelperA];

        var failures = new List<string>();
        async Task CheckAsync(string what, string? token, int expected)
        {
            using var request = Get(path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await client.SendAsync(request);
            if ((int)response.StatusCode != expected)
            {
                failures.Add($"GET {path} at {target} with {what}: expected {expected}, got {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync())}");
            }
        }

        // The same person's valid token is let in: whatever is refused below is refused for the token alone.
        await CheckAsync("a valid token", helper.Token, 200);
        foreach (var kind in Enum.GetValues<BadToken>())
        {
            await CheckAsync($"a token {kind}", BadTokenFor(world, helper, kind), 401);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private string BadTokenFor(World world, Actor helper, BadToken kind)
    {
        switch (kind)
        {
            case BadToken.Expired:
                return system.Tokens.Mint(helper.Id, helper.Name, helper.Memberships, lifetime: TimeSpan.FromMinutes(5), now: DateTimeOffset.UtcNow.AddHours(-1));
            case BadToken.SignedByAnotherKey:
                // Same kid as the trusted key, so only the signature tells them apart.
                using (var otherKey = new TestTokens("test-key"))
                {
                    return otherKey.Mint(helper.Id, helper.Name, helper.Memberships);
                }

            case BadToken.AlgNone:
                return Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + helper.Token.Split('.')[1] + ".";
            default:
                // A valid token whose payload is changed to make the helper an admin; the signature stays.
                var parts = helper.Token.Split('.');
                var payload = Encoding.UTF8.GetString(Base64UrlDecode(parts[1]));
                var elevated = payload.Replace($"{world.OrgA}:helper", $"{world.OrgA}:admin", StringComparison.Ordinal);
                Assert.NotEqual(payload, elevated);
                return parts[0] + "." + Base64Url(elevated) + "." + parts[2];
        }
    }

    // ------------------------------------------------------------------ personas and the world they act in

    private sealed record Actor(Persona Persona, Guid Id, string Name, (string Org, string Role)[] Memberships, string Token);

    /// <summary>One persona's call of one row.</summary>
    /// <param name="token">Another token to act with than the persona's own (a state such as "after demotion", see AuthorizationMatrixTests.States.cs).</param>
    private sealed class Ctx(World world, Persona persona, string? token = null)
    {
        /// <summary>
        /// DELETE /api/orgs/{A}/members/me ends the caller's membership: each member persona is stood
        /// in for by a new person of the same organisation and role; the platform admin, a member of
        /// no organisation, asks as themselves.
        /// </summary>
        public async Task<HttpRequestMessage> LeaveAsThrowawayTwinAsync()
        {
            var request = Delete($"/api/orgs/{W.OrgA}/members/me");
            var actor = W.Actors[Persona];
            if (actor.Memberships.Length == 0)
            {
                return request;
            }

            var (org, role) = actor.Memberships[0];
            var twin = await W.AddMemberAsync(org, role, "Twin");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", W.System.Tokens.Mint(twin, "Twin", actor.Memberships));
            return request;
        }

        public World W { get; } = world;

        public Persona Persona { get; } = persona;

        public string Token => token ?? W.Actors[Persona].Token;

        public bool IsMemberOfA => Persona is Persona.HelperA or Persona.CoordinatorA or Persona.AdminA;

        public bool IsCoordinatorOfA => Persona is Persona.CoordinatorA or Persona.AdminA;

        /// <summary>
        /// DELETE /api/me erases the caller: each persona is stood in for by a new person of the same
        /// organisation and role (the platform admin by a new person with the platform-admin claim).
        /// </summary>
        public async Task<HttpRequestMessage> EraseThrowawayTwinAsync()
        {
            var request = Delete("/api/me");
            if (Persona == Persona.Anonymous)
            {
                return request;
            }

            var actor = W.Actors[Persona];
            var (org, role) = actor.Memberships.Length > 0 ? actor.Memberships[0] : (W.OrgA, "helper");
            var twin = await W.AddMemberAsync(org, role, "Twin");
            var token = W.System.Tokens.Mint(twin, "Twin", actor.Memberships, platformAdmin: Persona == Persona.PlatformAdmin);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }
    }

    private sealed partial class World
    {
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static (ShiftsSystem System, World World)? _built;
        private static readonly DateTimeOffset Base = new(DateTime.UtcNow.Date.AddDays(60).AddHours(6), TimeSpan.Zero);
        private int _slot;

        private World(ShiftsSystem system)
        {
            System = system;
        }

        public ShiftsSystem System { get; }

        public string OrgA { get; } = Slug();

        public string OrgB { get; } = Slug();

        public Dictionary<Persona, Actor> Actors { get; } = [];

        public string PlatformAdminToken { get; private set; } = "";

        public string CoordinatorAToken => Actors[Persona.CoordinatorA].Token;

        /// <summary>A helper of A who fills capacity-1 shifts so the personas can join their waitlists.</summary>
        public string FillerToken { get; private set; } = "";

        public Guid TargetA { get; private set; }

        public Guid PublishedA { get; private set; }

        public Guid ShiftA { get; private set; }

        public Guid DraftA { get; private set; }

        public Guid DraftShiftA { get; private set; }

        public Guid ShiftB { get; private set; }

        public Guid DraftB { get; private set; }

        public static async Task<World> GetAsync(ShiftsSystem system)
        {
            await Gate.WaitAsync();
            try
            {
                if (_built is { } built && ReferenceEquals(built.System, system))
                {
                    return built.World;
                }

                var world = new World(system);
                await world.BuildAsync();
                _built = (system, world);
                return world;
            }
            finally
            {
                Gate.Release();
            }
        }

        private async Task BuildAsync()
        {
            PlatformAdminToken = await LogInAsync(System.AdminEmail);
            var me = await ExpectAsync(HttpStatusCode.OK, await SendAsync(PlatformAdminToken, Get("/api/me")));
            Actors[Persona.PlatformAdmin] = new(Persona.PlatformAdmin, me.GetProperty("id").GetGuid(), "Platform Admin", [], PlatformAdminToken);
            Actors[Persona.Anonymous] = new(Persona.Anonymous, Guid.Empty, "", [], "");

            foreach (var org in new[] { OrgA, OrgB })
            {
                await ExpectAsync(HttpStatusCode.Created, await SendAsync(PlatformAdminToken, Post("/api/orgs", new { slug = org, name = $"Org {org}", timeZone = "Europe/Berlin" })));
            }

            await AddActorAsync(Persona.HelperA, OrgA, "helper");
            await AddActorAsync(Persona.HelperB, OrgB, "helper");
            await AddActorAsync(Persona.CoordinatorA, OrgA, "coordinator");
            await AddActorAsync(Persona.CoordinatorB, OrgB, "coordinator");
            await AddActorAsync(Persona.AdminA, OrgA, "admin");
            TargetA = await AddMemberAsync(OrgA, "helper", "Target");
            var filler = await AddMemberAsync(OrgA, "helper", "Filler");
            FillerToken = System.Tokens.Mint(filler, "Filler", [(OrgA, "helper")]);
            // The events and notifications services authorise from their replicas of memberships:
            // every actor is in them before the first row runs.
            await System.WaitForMembershipAsync(filler, OrgA, "helper");
            foreach (var actor in Actors.Values.Where(a => a.Memberships.Length > 0))
            {
                await System.WaitForMembershipAsync(actor.Id, actor.Memberships[0].Org, actor.Memberships[0].Role);
            }

            await ExpectAsync(HttpStatusCode.Created, await SendAsync(CoordinatorAToken, Post($"/api/orgs/{OrgA}/qualifications", new { code = "first-aid", name = "Erste Hilfe" })));
            await ExpectAsync(HttpStatusCode.Created, await SendAsync(Actors[Persona.CoordinatorB].Token, Post($"/api/orgs/{OrgB}/qualifications", new { code = "first-aid", name = "Erste Hilfe" })));

            // The events service learns of the organisations over RabbitMQ: retry until it knows them.
            (PublishedA, ShiftA) = await FreshEventAsync(publish: true, token: CoordinatorAToken, org: OrgA, eventually: true);
            (DraftA, DraftShiftA) = await FreshEventAsync(publish: false, token: CoordinatorAToken, org: OrgA);
            (_, ShiftB) = await FreshEventAsync(publish: true, token: Actors[Persona.CoordinatorB].Token, org: OrgB, eventually: true);
            (DraftB, _) = await FreshEventAsync(publish: false, token: Actors[Persona.CoordinatorB].Token, org: OrgB);
        }

        private async Task AddActorAsync(Persona persona, string org, string role)
        {
            var name = persona.ToString();
            var id = await AddMemberAsync(org, role, name);
            (string, string)[] memberships = [(org, role)];
            Actors[persona] = new(persona, id, name, memberships, System.Tokens.Mint(id, name, memberships));
        }

        /// <summary>A new member (invited by the platform admin, confirmed from the mail), by volunteer id.</summary>
        public async Task<Guid> AddMemberAsync(string org, string role, string name) => (await AddMemberWithEmailAsync(org, role, name)).Id;

        private async Task<(Guid Id, string Email)> AddMemberWithEmailAsync(string org, string role, string name)
        {
            var email = Email();
            using var admin = new HttpClient { BaseAddress = System.Gateway.BaseAddress };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PlatformAdminToken);
            return (await System.AddMemberAsync(admin, org, new { name, email, role }, email), email);
        }

        /// <summary>A pending invitation to org A (by its coordinator), by id.</summary>
        public async Task<Guid> FreshInvitationAsync()
        {
            var email = Email();
            await ExpectAsync(HttpStatusCode.Accepted, await SendAsync(CoordinatorAToken, Post($"/api/orgs/{OrgA}/members", new { name = "Eingeladen", email })));
            var list = await ExpectAsync(HttpStatusCode.OK, await SendAsync(CoordinatorAToken, Get($"/api/orgs/{OrgA}/members/invitations")));
            return list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("email").GetString() == email).GetProperty("id").GetGuid();
        }

        /// <summary>The token of the confirmation link a new sign-up to org A is mailed.</summary>
        public async Task<string> FreshConfirmationTokenAsync()
        {
            var email = Email();
            await ExpectAsync(HttpStatusCode.Accepted, await SendAsync(null, Post($"/api/orgs/{OrgA}/signup", new { name = "Neu", email, locale = "de" })));
            return await System.ReadConfirmationTokenAsync(email, before: new HashSet<string>());
        }

        /// <summary>The token of the link a new member of A is mailed at a new address they asked for.</summary>
        public async Task<string> FreshEmailChangeTokenAsync()
        {
            var (id, _) = await AddMemberWithEmailAsync(OrgA, "helper", "Umzug");
            var newEmail = Email();
            await ExpectAsync(HttpStatusCode.Accepted, await SendAsync(System.Tokens.Mint(id, "Umzug", [(OrgA, "helper")]), Post("/api/me/email", new { email = newEmail })));
            return await System.ReadEmailChangeTokenAsync(newEmail, before: new HashSet<string>());
        }

        /// <summary>A time slot of its own (2 hours, 3 hours apart), so no two claims of one person overlap.</summary>
        public (DateTimeOffset StartsAt, DateTimeOffset EndsAt) NextSlot()
        {
            var start = Base.AddHours(3 * Interlocked.Increment(ref _slot));
            return (start, start.AddHours(2));
        }

        public object NewEvent(int capacity = 20)
        {
            var (startsAt, endsAt) = NextSlot();
            return new
            {
                title = "Infostand",
                kind = "info-stand",
                location = new { name = "Marktplatz" },
                startsAt,
                endsAt,
                shifts = new[] { new { title = "Standbetreuung", startsAt, endsAt, capacity } },
            };
        }

        public object NewShift()
        {
            // Within the shared events' slot is not required for a shift; a slot of its own keeps it apart.
            var (startsAt, endsAt) = NextSlot();
            return new { title = "Aufbau", startsAt, endsAt, capacity = 5 };
        }

        /// <summary>A new event of org A (by its coordinator) with one shift; published unless asked otherwise.</summary>
        public async Task<(Guid Event, Guid Shift)> FreshEventAsync(bool publish = true, int capacity = 20, string? token = null, string? org = null, bool eventually = false)
        {
            token ??= CoordinatorAToken;
            org ??= OrgA;
            var body = NewEvent(capacity);
            // With eventually, a 404 is the coordinator's membership not having reached the events service yet.
            var response = eventually
                ? await Eventually.Async(async () =>
                {
                    var attempt = await SendAsync(token, Post($"/api/orgs/{org}/events", body));
                    if (attempt.StatusCode != HttpStatusCode.NotFound)
                    {
                        return attempt;
                    }

                    attempt.Dispose();
                    return null;
                }, TimeSpan.FromSeconds(30), $"creating an event in {org} to answer anything but 404")
                : await SendAsync(token, Post($"/api/orgs/{org}/events", body));

            var created = await ExpectAsync(HttpStatusCode.Created, response);
            var id = created.GetProperty("id").GetGuid();
            var shift = created.GetProperty("shifts")[0].GetProperty("id").GetGuid();
            if (publish)
            {
                await ExpectAsync(HttpStatusCode.OK, await SendAsync(token, Post($"/api/events/{id}/publish")));
            }

            return (id, shift);
        }

        private string? _fillerFeed;

        /// <summary>The path of the filler's calendar feed (the filler never rotates it), asked for once.</summary>
        public async Task<string> FillerFeedPathAsync()
        {
            if (_fillerFeed is null)
            {
                var answer = await ExpectAsync(HttpStatusCode.OK, await SendAsync(FillerToken, Get("/api/me/calendar")));
                _fillerFeed = new Uri(answer.GetProperty("url").GetString()!).AbsolutePath;
            }

            return _fillerFeed;
        }

        /// <summary>A login token for a new helper of A (signed up and confirmed), read from the login-link mail.</summary>
        public async Task<string> FreshLoginTokenAsync()
        {
            var email = Email();
            (await System.SignUpAsync(OrgA, "Neu", email)).Dispose();
            var before = (await System.Inbox.MailsToAsync(email)).Select(m => m.Id).ToHashSet();
            await ExpectAsync(HttpStatusCode.Accepted, await SendAsync(null, Post("/api/auth/login-links", new { email })));
            return await ReadLoginTokenAsync(email, before);
        }

        /// <summary>The refresh token of a new session of a new helper of A (see <see cref="FreshLoginTokenAsync"/>).</summary>
        public async Task<string> FreshRefreshTokenAsync()
        {
            var session = await ExpectAsync(HttpStatusCode.OK, await SendAsync(null, Post("/api/auth/sessions", new { token = await FreshLoginTokenAsync() })));
            return session.GetProperty("refreshToken").GetString()!;
        }

        private Task<string> LogInAsync(string email) => System.AccessTokenAsync(email);

        private Task<string> ReadLoginTokenAsync(string email, IReadOnlySet<string> before) => System.ReadLoginTokenAsync(email, before);

        public async Task<HttpResponseMessage> SendAsync(string? token, HttpRequestMessage request)
        {
            using (request)
            {
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                return await System.Gateway.SendAsync(request);
            }
        }

        public Task<JsonElement> ExpectAsync(HttpStatusCode wanted, HttpResponseMessage response) => Http.ExpectAsync(wanted, response);
    }

    // ------------------------------------------------------------------ small helpers

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Delete(string path) => new(HttpMethod.Delete, path);

    private static HttpRequestMessage Post(string path, object? body = null) => With(new(HttpMethod.Post, path), body);

    private static HttpRequestMessage Put(string path, object body) => With(new(HttpMethod.Put, path), body);

    private static HttpRequestMessage Patch(string path, object body) => With(new(HttpMethod.Patch, path), body);

    private static HttpRequestMessage With(HttpRequestMessage request, object? body)
    {
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        return request;
    }

    private static string Slug() => $"am-{Guid.NewGuid():N}"[..20];

    private static string Email() => $"matrix-{Guid.NewGuid():N}@example.org";

    private static string Code() => $"q-{Guid.NewGuid():N}"[..12];

    /// <summary>A fresh published shift of A with the filler's confirmed claim on it.</summary>
    private static async Task<(Guid Shift, Guid Claim)> FreshClaimAsync(Ctx c)
    {
        var shift = (await c.W.FreshEventAsync()).Shift;
        var claim = await c.W.ExpectAsync(HttpStatusCode.Created, await c.W.SendAsync(c.W.FillerToken, Post($"/api/shifts/{shift}/claims")));
        return (shift, claim.GetProperty("id").GetGuid());
    }

    private static string? ExpectedCode(int status) => status switch
    {
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        _ => null,
    };

    private static string? ProblemCode(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string body) => body.Length <= 400 ? body : body[..400] + "…";

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }
}
