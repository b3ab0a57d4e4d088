using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shifts.Events.Tests.Events;

/// <summary>Requests and assertions the event tests share: events through the API, claims straight into the database.</summary>
public static class EventTestKit
{
    /// <summary>An instant as the API wants it: ISO 8601 with its offset.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static object Shift(DateTimeOffset startsAt, DateTimeOffset endsAt, string title = "Standbetreuung", int capacity = 3) =>
        new { title, startsAt = Iso(startsAt), endsAt = Iso(endsAt), capacity, minimum = 1 };

    public static object Event(DateTimeOffset startsAt, DateTimeOffset endsAt, string title = "Infostand Marktplatz", string kind = "info-stand",
        object[]? shifts = null, object? recurrence = null, string? description = "Flyer und Gespräche") =>
        new
        {
            title,
            kind,
            description,
            location = new { name = "Marktplatz", address = "Am Markt 1, 28195 Bremen" },
            startsAt = Iso(startsAt),
            endsAt = Iso(endsAt),
            recurrence,
            shifts = shifts ?? [],
        };

    /// <summary>Creates an event as a coordinator and returns the answer (asserting 201).</summary>
    public static async Task<JsonElement> CreateAsync(HttpClient coordinator, string org, object body)
    {
        using var response = await coordinator.PostAsJsonAsync($"/api/orgs/{org}/events", body);
        return await ExpectAsync(response, HttpStatusCode.Created);
    }

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body);
        return await ExpectAsync(response, expected);
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        return await ExpectAsync(response, expected);
    }

    /// <summary>Sends raw text as a JSON body (for malformed and mistyped bodies).</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(HttpClient client, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A problem details answer with the API's code (and, for validation, the field named in 'errors').</summary>
    public static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? field = null)
    {
        var problem = await ExpectAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (field is not null)
        {
            var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
            Assert.True(errors.Contains(field), $"expected an error for '{field}', got: {string.Join(", ", errors)}");
        }

        return problem;
    }

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static List<Guid> ShiftIds(this JsonElement @event) => @event.GetProperty("shifts").EnumerateArray().Select(s => s.Id()).ToList();

    /// <summary>
    /// A confirmed claim written straight into the service's database, as the claim endpoint
    /// would leave it: the claim with its shift's time, and the shift's confirmed count.
    /// </summary>
    public static async Task<Guid> ClaimAsync(EventsFixture fixture, Guid shiftId, Guid volunteerId)
    {
        var id = Guid.CreateVersion7();
        await using var command = fixture.Db.CreateCommand("""
            INSERT INTO claims (id, shift_id, volunteer_id, status, during)
            SELECT @id, s.id, @volunteer, 'confirmed', tstzrange(s.starts_at, s.ends_at, '[)') FROM shifts s WHERE s.id = @shift;
            UPDATE shifts SET confirmed = confirmed + 1 WHERE id = @shift;
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("shift", shiftId);
        command.Parameters.AddWithValue("volunteer", volunteerId);
        await command.ExecuteNonQueryAsync();
        return id;
    }

    public static async Task JoinWaitlistAsync(EventsFixture fixture, Guid shiftId, Guid volunteerId)
    {
        await using var command = fixture.Db.CreateCommand("""
            INSERT INTO waitlist_entries (shift_id, volunteer_id) VALUES (@shift, @volunteer);
            UPDATE shifts SET waitlisted = waitlisted + 1 WHERE id = @shift;
            """);
        command.Parameters.AddWithValue("shift", shiftId);
        command.Parameters.AddWithValue("volunteer", volunteerId);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(EventsFixture fixture, string sql, Guid id)
    {
        await using var command = fixture.Db.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits for <paramref name="count"/> matching messages, then a moment longer, and returns them all: a duplicate would arrive right behind.
    /// The moment is a pause, not a wait-until (that nothing more arrives cannot be polled for), and the only one in these tests.
    /// </summary>
    public static async Task<IReadOnlyList<(Guid MessageId, T Message)>> ReceivedSettledAsync<T>(EventsFixture fixture, Func<T, bool> match, int count = 1)
    {
        await fixture.ReceivedAsync(match, count);
        await Task.Delay(500);
        return fixture.Received(match);
    }

    /// <summary>The same day <paramref name="days"/> from now at a local hour in Berlin, as an instant with its offset.</summary>
    public static DateTimeOffset BerlinFuture(int days, int hour)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var local = DateTime.SpecifyKind(DateTime.UtcNow.Date.AddDays(days).AddHours(hour), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
