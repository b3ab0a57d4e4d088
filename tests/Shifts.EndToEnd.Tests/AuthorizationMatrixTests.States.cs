using System.Net;
using System.Net.Http.Headers;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// The matrix in states a token does not know of (issue 12): every endpoint called with a token
/// issued before the change. After demotion, a coordinator of A who became a helper gets exactly
/// what a helper of A gets; a helper of B who was removed from A, and a helper of B whose
/// invitation to A is still pending (unconfirmed), both get exactly what a helper of B gets,
/// although their tokens name A; after erasure, a person's token gets 401 <c>unauthenticated</c>
/// everywhere, even where anonymous callers are welcome.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    public enum State
    {
        AfterDemotion,
        AfterRemoval,
        PendingMember,
        AfterErasure,
    }

    public static TheoryData<string, State> EndpointsInStates()
    {
        var data = new TheoryData<string, State>();
        foreach (var row in Rows)
        {
            foreach (var state in Enum.GetValues<State>())
            {
                data.Add(row.Endpoint, state);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EndpointsInStates))]
    public async Task A_token_from_before_gets_what_the_current_state_gives(string endpoint, State state)
    {
        var row = Rows.Single(r => r.Endpoint == endpoint);
        var world = await World.GetAsync(system);
        var (token, persona, expected) = state switch
        {
            // Acts as a helper of A would (the rows' set-up claims where a member of A may).
            State.AfterDemotion => (await world.DemotedTokenAsync(), Persona.HelperA, row.Expected[(int)Persona.HelperA]),
            // Acts as a helper of B would: A is not theirs (any more, or yet), whatever the token says.
            State.AfterRemoval => (await world.RemovedTokenAsync(), Persona.HelperB, row.Expected[(int)Persona.HelperB]),
            State.PendingMember => (await world.PendingTokenAsync(), Persona.HelperB, row.Expected[(int)Persona.HelperB]),
            // Acts as nobody (no set-up on the person's behalf); whatever the row, 401.
            _ => (await world.ErasedTokenAsync(), Persona.Anonymous, 401),
        };

        using var request = await row.Request(new Ctx(world, persona, token));
        // A row that signs in as someone else (the throwaway twin of DELETE /api/me) is about that
        // person, not about this state: the state's token replaces it only where none is set.
        if (request.Headers.Authorization is null || state == State.AfterErasure)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await system.Gateway.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{endpoint} {state}: expected {expected}, got {(int)response.StatusCode}: {Shorten(body)}");
        if (ExpectedCode(expected) is { } code)
        {
            Assert.Equal(code, ProblemCode(body));
        }
    }

    private sealed partial class World
    {
        private readonly SemaphoreSlim _states = new(1, 1);
        private string? _demoted;
        private string? _erased;
        private string? _removed;
        private string? _pending;

        /// <summary>A helper of A and of B (token says both) whom A's coordinator removed from A; the replicas have caught up.</summary>
        public async Task<string> RemovedTokenAsync()
        {
            await _states.WaitAsync();
            try
            {
                if (_removed is null)
                {
                    var (id, email) = await AddMemberWithEmailAsync(OrgB, "helper", "Removed");
                    using var admin = new HttpClient { BaseAddress = System.Gateway.BaseAddress };
                    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PlatformAdminToken);
                    await System.AddMemberAsync(admin, OrgA, new { name = "Removed", email, role = "helper" }, email);
                    var token = System.Tokens.Mint(id, "Removed", [(OrgA, "helper"), (OrgB, "helper")]);
                    await System.WaitForMembershipAsync(id, OrgA, "helper");
                    await ExpectAsync(HttpStatusCode.NoContent, await SendAsync(CoordinatorAToken, Delete($"/api/orgs/{OrgA}/members/{id}")));
                    await System.WaitForNoMembershipAsync(id, OrgA);
                    _removed = token;
                }

                return _removed;
            }
            finally
            {
                _states.Release();
            }
        }

        /// <summary>
        /// A helper of B invited to A by A's coordinator, who has not clicked the link: the token
        /// (minted as if A were theirs) claims A, nothing in any service does.
        /// </summary>
        public async Task<string> PendingTokenAsync()
        {
            await _states.WaitAsync();
            try
            {
                if (_pending is null)
                {
                    var (id, email) = await AddMemberWithEmailAsync(OrgB, "helper", "Pending");
                    await ExpectAsync(HttpStatusCode.Accepted, await SendAsync(CoordinatorAToken, Post($"/api/orgs/{OrgA}/members", new { name = "Pending", email })));
                    _pending = System.Tokens.Mint(id, "Pending", [(OrgA, "helper"), (OrgB, "helper")]);
                }

                return _pending;
            }
            finally
            {
                _states.Release();
            }
        }

        /// <summary>A coordinator of A (token says so) whom the platform admin made a helper; the replicas have caught up.</summary>
        public async Task<string> DemotedTokenAsync()
        {
            await _states.WaitAsync();
            try
            {
                if (_demoted is null)
                {
                    var id = await AddMemberAsync(OrgA, "coordinator", "Demoted");
                    var token = System.Tokens.Mint(id, "Demoted", [(OrgA, "coordinator")]);
                    await System.WaitForMembershipAsync(id, OrgA, "coordinator");
                    await ExpectAsync(HttpStatusCode.OK, await SendAsync(PlatformAdminToken, Put($"/api/orgs/{OrgA}/members/{id}/role", new { role = "helper" })));
                    await System.WaitForMembershipAsync(id, OrgA, "helper");
                    _demoted = token;
                }

                return _demoted;
            }
            finally
            {
                _states.Release();
            }
        }

        /// <summary>A coordinator of A (token says so) who erased themselves; every service has heard of it.</summary>
        public async Task<string> ErasedTokenAsync()
        {
            await _states.WaitAsync();
            try
            {
                if (_erased is null)
                {
                    var id = await AddMemberAsync(OrgA, "coordinator", "Erased");
                    var token = System.Tokens.Mint(id, "Erased", [(OrgA, "coordinator")]);
                    await System.WaitForMembershipAsync(id, OrgA, "coordinator");
                    await ExpectAsync(HttpStatusCode.Accepted, await SendAsync(token, Delete("/api/me")));
                    await System.WaitForErasureAsync(id);
                    _erased = token;
                }

                return _erased;
            }
            finally
            {
                _states.Release();
            }
        }
    }
}
