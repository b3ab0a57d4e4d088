using System.Net;
using System.Text.Json;

namespace Shifts.Events.Tests.Attendance;

/// <summary>Test data for attendance and hours: shifts moved to any time (claims are only taken before a shift starts), names with umlauts.</summary>
public static class AttendanceKit
{
    /// <summary>Claims the shift as the token's volunteer; returns the claim's id.</summary>
    public static async Task<Guid> ClaimAsync(EventsFixture fixture, string token, Guid shiftId)
    {
        using var client = fixture.Client(token);
        using var response = await client.PostAsync($"/api/shifts/{shiftId}/claims", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"claiming answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Moves a shift (and its claims' time) to another time, as if the day had come.</summary>
    public static async Task MoveShiftAsync(EventsFixture fixture, Guid shiftId, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        await using var command = fixture.Db.CreateCommand("""
            UPDATE shifts SET starts_at = @startsAt, ends_at = @endsAt WHERE id = @id;
            UPDATE claims SET during = tstzrange(@startsAt, @endsAt) WHERE shift_id = @id;
            """);
        command.Parameters.AddWithValue("id", shiftId);
        command.Parameters.AddWithValue("startsAt", startsAt.ToUniversalTime());
        command.Parameters.AddWithValue("endsAt", endsAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync();
    }

    public static async Task NameAsync(EventsFixture fixture, Guid volunteerId, string name)
    {
        await using var command = fixture.Db.CreateCommand("UPDATE volunteers SET display_name = @name WHERE id = @id");
        command.Parameters.AddWithValue("id", volunteerId);
        command.Parameters.AddWithValue("name", name);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();
}
