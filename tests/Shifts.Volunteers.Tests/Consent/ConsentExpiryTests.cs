using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Shifts.Testing;
using Shifts.Volunteers.Consent;

namespace Shifts.Volunteers.Tests.Consent;

/// <summary>The volunteers service on a clock the test moves: membership requests live seven days, then they are gone.</summary>
public sealed class ClockedVolunteersFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private ServiceFactory<VolunteersService> _service = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public Uri Address { get; private set; } = null!;

    public IServiceProvider Services => _service.Services;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("consent", create: false);
        _broker = await TestBroker.CreateAsync("consent");
        var settings = VolunteersFixture.Settings(_database, _broker, $"admin-{Guid.NewGuid():N}@example.org");
        _service = new ServiceFactory<VolunteersService>(settings, services: services => services.AddSingleton<TimeProvider>(Clock));
        Address = _service.Start();
    }

    public HttpClient Client() => ServiceClients.For(Address, null);

    /// <summary>The link of the latest confirmation mail to the address, read from the outbox (this instance records no messages).</summary>
    public async Task<string> TokenAsync(string email)
    {
        await using var db = _database.CreateDataSource();
        await using var command = db.CreateCommand("""
            SELECT body->>'link' FROM outbox_messages
            WHERE message_type LIKE '%MembershipConfirmationRequested' AND body->>'email' = @email ORDER BY position DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("email", email);
        var link = (string?)await command.ExecuteScalarAsync();
        Assert.NotNull(link);
        return VolunteersFixture.TokenOf(new Uri(link));
    }

    public async Task<long> CountAsync(string sql, string email)
    {
        await using var db = _database.CreateDataSource();
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue("email", email);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class ConsentExpiryTests(ClockedVolunteersFixture fixture) : IClassFixture<ClockedVolunteersFixture>
{
    private const string Requests = "SELECT count(*) FROM membership_requests WHERE email = @email";

    private const string Mentions = "SELECT count(*) FROM outbox_messages WHERE body->>'email' = @email";

    [Fact]
    public async Task A_request_works_for_seven_days_then_answers_410_and_housekeeping_erases_what_is_left()
    {
        var org = await CreateOrganisationAsync();
        var early = $"early-{Guid.NewGuid():N}@example.org";
        var late = $"late-{Guid.NewGuid():N}@example.org";
        var ignored = $"ignored-{Guid.NewGuid():N}@example.org";
        using var client = fixture.Client();
        foreach (var email in new[] { early, late, ignored })
        {
            using var response = await client.PostAsJsonAsync($"/api/orgs/{org}/signup", new { name = "Someone", email });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var earlyToken = await fixture.TokenAsync(early);
        var lateToken = await fixture.TokenAsync(late);
        Assert.Equal(1, await fixture.CountAsync(Requests, ignored));
        Assert.Equal(1, await fixture.CountAsync(Mentions, ignored));

        fixture.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        using (var inTime = await client.PostAsJsonAsync("/api/memberships/confirm", new { token = earlyToken }))
        {
            Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await Problems.AssertAsync(await client.PostAsJsonAsync("/api/memberships/confirm", new { token = lateToken }), HttpStatusCode.Gone, "confirmation-invalid");
        Assert.Equal(0, await fixture.CountAsync(Requests, late)); // the expired request went with the attempt

        // Nobody clicked the third: housekeeping (its timer runs on the moved clock, too) erases it,
        // with the sent mail messages that carried the address.
        var housekeeping = fixture.Services.GetServices<IHostedService>().OfType<ConsentHousekeeping>().Single();
        await housekeeping.EraseExpiredAsync(CancellationToken.None);
        Assert.Equal(0, await fixture.CountAsync(Requests, ignored));
        Assert.Equal(0, await fixture.CountAsync(Mentions, ignored));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM volunteers WHERE email = @email", ignored));
    }

    /// <summary>An organisation, written straight into the database: what matters here is the clock, not who creates it.</summary>
    private async Task<string> CreateOrganisationAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var slug = $"org-{Guid.NewGuid():N}"[..20];
        await using var command = db.CreateCommand("INSERT INTO organisations (id, slug, name) VALUES (@id, @slug, @name)");
        command.Parameters.AddWithValue("id", Guid.NewGuid());
        command.Parameters.AddWithValue("slug", slug);
        command.Parameters.AddWithValue("name", $"Organisation {slug}");
        await command.ExecuteNonQueryAsync();
        return slug;
    }
}
