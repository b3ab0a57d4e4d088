using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Shifts.Events.Tests;

/// <summary>Test data: events written straight into the service's database (so claim tests do not depend on the event endpoints), shifts through the API.</summary>
public static class Seed
{
    public static async Task<Guid> EventAsync(EventsFixture fixture, string org, DateTimeOffset startsAt, DateTimeOffset endsAt, string status = "published", string kind = "festival")
    {
        var id = Guid.CreateVersion7();
        await using var command = fixture.Db.CreateCommand("""
            INSERT INTO events (id, org, title, kind, location_name, location_address, starts_at, ends_at, status, created_by)
            VALUES (@id, @org, 'Sommerfest am Weserwehr', @kind, 'Weserwehr', 'Am Weserwehr 1, Bremen', @startsAt, @endsAt, @status, @id)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("startsAt", startsAt.ToUniversalTime());
        command.Parameters.AddWithValue("endsAt", endsAt.ToUniversalTime());
        command.Parameters.AddWithValue("status", status);
        await command.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>A shift added by a coordinator through POST /api/events/{id}/shifts; returns its id.</summary>
    public static async Task<Guid> ShiftAsync(HttpClient coordinator, Guid eventId, DateTimeOffset startsAt, DateTimeOffset endsAt,
        int capacity = 3, int minimum = 0, string? requiredQualification = null, bool newcomerFriendly = false, string title = "Ausschank")
    {
        using var response = await coordinator.PostAsJsonAsync($"/api/events/{eventId}/shifts", new
        {
            title,
            startsAt = startsAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            endsAt = endsAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            capacity,
            minimum,
            requiredQualification,
            newcomerFriendly,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"creating a shift answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    public static async Task<long> CountAsync(EventsFixture fixture, string sql, Guid id)
    {
        await using var command = fixture.Db.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static DateTimeOffset Future(int days, int hour = 10) =>
        new DateTimeOffset(DateTime.UtcNow.Date.AddDays(days).AddHours(hour), TimeSpan.Zero);
}
