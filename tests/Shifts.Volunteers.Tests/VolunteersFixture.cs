using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Testing;

namespace Shifts.Volunteers.Tests;

/// <summary>
/// The volunteers service on a real port with its own database and RabbitMQ vhost, plus a test-side
/// bus that records every integration event it publishes (which is also how a test reads the
/// login link a person would find in their mail). The service signs its own tokens; it also
/// trusts <see cref="Tokens"/> (through Auth:PublicKeys, as a deployment with a static key set
/// would), so a test can act as any member without logging in.
/// </summary>
public sealed class VolunteersFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private ServiceFactory<VolunteersService> _service = null!;
    private IBusControl _bus = null!;
    private string? _adminToken;
    private DateTimeOffset _adminLoggedInAt;

    public string AdminEmail { get; } = $"admin-{Guid.NewGuid():N}@example.org";

    public TestTokens Tokens { get; } = new();

    public Uri Address { get; private set; } = null!;

    public NpgsqlDataSource Db { get; private set; } = null!;

    /// <summary>The service's own container, for the few tests that drive a background job directly.</summary>
    public IServiceProvider Services => _service.Services;

    /// <summary>Every integration event received from the service, with its MessageId.</summary>
    private readonly MessageRecorder _recorder = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("volunteers", create: false);
        _broker = await TestBroker.CreateAsync("volunteers");

        // The recorder binds its queue before the service starts publishing.
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(_broker.Uri);
            rabbit.ReceiveEndpoint("test-recorder", endpoint =>
            {
                // One at a time, so messages are recorded in the order they were published: once a
                // transaction's last event is here, the ones before it are too.
                endpoint.ConcurrentMessageLimit = 1;
                _recorder.Record<LoginLinkRequested>(endpoint);
                _recorder.Record<OrganisationRegistered>(endpoint);
                _recorder.Record<OrganisationChanged>(endpoint);
                _recorder.Record<VolunteerRegistered>(endpoint);
                _recorder.Record<VolunteerProfileChanged>(endpoint);
                _recorder.Record<MembershipChanged>(endpoint);
                _recorder.Record<QualificationsChanged>(endpoint);
                _recorder.Record<QualificationAdded>(endpoint);
                _recorder.Record<MembershipConfirmationRequested>(endpoint);
                _recorder.Record<MembershipEnded>(endpoint);
                _recorder.Record<EmailChangeRequested>(endpoint);
                _recorder.Record<EmailChanged>(endpoint);
            });
        });
        await _bus.StartAsync();

        _service = new ServiceFactory<VolunteersService>(Settings(_database, _broker, AdminEmail, Tokens));
        Address = _service.Start();
        Db = _database.CreateDataSource();
    }

    /// <summary>The settings the service runs with here; other test classes start their own instances with them.</summary>
    public static Dictionary<string, string?> Settings(TestDatabase database, TestBroker broker, string adminEmail, TestTokens? tokens = null) => new()
    {
        ["ConnectionStrings:Database"] = database.ConnectionString,
        ["RabbitMq:Uri"] = broker.Uri.ToString(),
        ["Shifts:PublicBaseUrl"] = "http://localhost:8080",
        ["Shifts:Bootstrap:AdminEmail"] = adminEmail,
        ["Auth:PublicKeys"] = tokens?.PublicJwks,
        // Every test here comes from 127.0.0.1; RateLimitTests prove the limits with their own instances.
        ["RateLimits:LinksPerAddress"] = "1000",
        ["RateLimits:LinksPerClient"] = "100000",
        ["RateLimits:SessionsPerClient"] = "100000",
    };


    /// <summary>A client that calls the service with the given access token (or none).</summary>
    public HttpClient Client(string? token = null) => ServiceClients.For(Address, token);

    /// <summary>Messages of one type received so far that match.</summary>
    public IReadOnlyList<(Guid MessageId, T Message)> Received<T>(Func<T, bool>? match = null) => _recorder.Received(match);

    /// <summary>Waits until at least <paramref name="count"/> matching messages arrived, then returns all of them.</summary>
    public Task<IReadOnlyList<(Guid MessageId, T Message)>> ReceivedAsync<T>(Func<T, bool> match, int count = 1, TimeSpan? timeout = null) =>
        _recorder.ReceivedAsync(match, count, timeout);

    /// <summary>Asks for a login link as the person would and returns the token from the link the mail would carry.</summary>
    public async Task<string> LoginLinkTokenAsync(string email)
    {
        var before = Received<LoginLinkRequested>(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase)).Count;
        using var client = Client();
        using var response = await client.PostAsJsonAsync("/api/auth/login-links", new { email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var links = await ReceivedAsync<LoginLinkRequested>(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase), before + 1);
        Assert.True(links.Count > before, $"no login link for {email}");
        return TokenOf(links[^1].Message.Link);
    }

    public static string TokenOf(Uri link)
    {
        const string prefix = "token=";
        var query = link.Query.TrimStart('?');
        var start = query.IndexOf(prefix, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no token in {link}");
        return query[(start + prefix.Length)..].Split('&')[0];
    }

    /// <summary>Logs in through the mailed link and returns the access token.</summary>
    public async Task<string> LoginAsync(string email)
    {
        var token = await LoginLinkTokenAsync(email);
        using var client = Client();
        using var response = await client.PostAsJsonAsync("/api/auth/sessions", new { token });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        return session.GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// The bootstrapped platform admin's access token, from a real login. Access tokens live ten
    /// minutes and a test run can take longer, so a token older than five is replaced by a new login.
    /// </summary>
    public async Task<string> AdminTokenAsync()
    {
        if (_adminToken is null || DateTimeOffset.UtcNow - _adminLoggedInAt > TimeSpan.FromMinutes(5))
        {
            _adminLoggedInAt = DateTimeOffset.UtcNow;
            _adminToken = await LoginAsync(AdminEmail);
        }

        return _adminToken;
    }

    /// <summary>A new organisation registered by the platform admin; returns its slug.</summary>
    public async Task<string> CreateOrganisationAsync()
    {
        var slug = $"org-{Guid.NewGuid():N}"[..20];
        using var client = Client(await AdminTokenAsync());
        using var response = await client.PostAsJsonAsync("/api/orgs", new { slug, name = $"Organisation {slug}", timeZone = "Europe/Berlin" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return slug;
    }

    /// <summary>
    /// A person added to the organisation (invited by the platform admin, and confirmed from the
    /// mail as the person would) with a role and qualifications, and a token that names them (what
    /// they may do comes from the memberships, not from the token).
    /// </summary>
    public async Task<Member> AddMemberAsync(string org, string role = "helper", string? name = null, params string[] qualifications)
    {
        var email = $"m-{Guid.NewGuid():N}@example.org";
        name ??= $"Member {email[2..10]}";
        using var client = Client(await AdminTokenAsync());
        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/members", new { name, email, role, qualifications });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var confirmed = await ConfirmMembershipAsync(email, org);
        var id = confirmed.GetProperty("volunteerId").GetGuid();
        return new Member(id, email, name, Tokens.Mint(id, name, [(org, role)]));
    }

    /// <summary>
    /// The token of the <paramref name="nth"/> confirmation link (1-based, in publishing order)
    /// mailed to the address for the organisation, waiting for it to be published.
    /// </summary>
    public async Task<string> ConfirmationTokenAsync(string email, string org, int nth = 1)
    {
        var requests = await ReceivedAsync<MembershipConfirmationRequested>(m => IsFor(m, email, org) && m.Link is not null, nth);
        Assert.True(requests.Count >= nth, $"no confirmation link #{nth} for {email} in {org}");
        return TokenOf(requests[nth - 1].Message.Link!);
    }

    /// <summary>Confirms with a token as the person clicking the link would; the answer must be 200.</summary>
    public async Task<JsonElement> ConfirmAsync(string token)
    {
        using var client = Client();
        using var response = await client.PostAsJsonAsync("/api/memberships/confirm", new { token });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Confirms the latest confirmation link mailed to the address for the organisation.</summary>
    public async Task<JsonElement> ConfirmMembershipAsync(string email, string org)
    {
        var count = Received<MembershipConfirmationRequested>(m => IsFor(m, email, org) && m.Link is not null).Count;
        return await ConfirmAsync(await ConfirmationTokenAsync(email, org, Math.Max(count, 1)));
    }

    /// <summary>Signs up as a stranger would and confirms from the mail; returns the confirmation's answer.</summary>
    public async Task<JsonElement> SignUpAndConfirmAsync(string org, string email, string name, string? locale = null)
    {
        var before = Received<MembershipConfirmationRequested>(m => IsFor(m, email, org) && m.Link is not null).Count;
        using var client = Client();
        using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name, email, locale });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await ConfirmAsync(await ConfirmationTokenAsync(email, org, before + 1));
    }

    private static bool IsFor(MembershipConfirmationRequested m, string email, string org) =>
        string.Equals(m.Email, email.Trim(), StringComparison.OrdinalIgnoreCase) && m.Org == org;

    /// <summary>Adds qualifications to the organisation's list, as one of its coordinators.</summary>
    public async Task AddQualificationsAsync(string org, params string[] codes)
    {
        // A coordinator who exists: the service authorises from its memberships, not from the token.
        var coordinator = await AddMemberAsync(org, "coordinator", "Setup");
        using var client = Client(coordinator.Token);
        foreach (var code in codes)
        {
            using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/qualifications", new { code, name = $"Qualification {code}" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _bus.StopAsync();
        await Db.DisposeAsync();
        Tokens.Dispose();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed record Member(Guid Id, string Email, string Name, string Token);

[CollectionDefinition(nameof(VolunteersCollection))]
public sealed class VolunteersCollection : ICollectionFixture<VolunteersFixture>;
