using System.Text.Json;
using Dapper;
using Npgsql;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Events.Claims;

/// <summary>
/// Idempotency-Key for claims: the first request with a key reserves it (a concurrent retry waits on
/// the row's lock) and stores its outcome in the same transaction; every retry gets that outcome back.
/// </summary>
internal static class IdempotencyKeys
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <returns>The stored outcome of an earlier request with this key, or null when this request reserved it.</returns>
    public static async Task<ClaimOutcome?> ReserveAsync(NpgsqlTransaction tx, Guid volunteerId, string key, string request, CancellationToken ct)
    {
        var connection = tx.Connection!;
        const string reserve = """
            INSERT INTO idempotency_keys (volunteer_id, key, request) VALUES (@volunteerId, @key, @request)
            ON CONFLICT DO NOTHING
            """;
        if (await connection.ExecuteAsync(new CommandDefinition(reserve, new { volunteerId, key, request }, tx, cancellationToken: ct)) == 1)
        {
            return null;
        }

        var stored = await connection.QuerySingleAsync<(string Request, string Response)>(new CommandDefinition(
            "SELECT request, response::text FROM idempotency_keys WHERE volunteer_id = @volunteerId AND key = @key",
            new { volunteerId, key }, tx, cancellationToken: ct));
        if (stored.Request != request)
        {
            return new ClaimOutcome(409, null, ClaimsApi.IdempotencyKeyReused, "This Idempotency-Key was used for a different request.");
        }

        return JsonSerializer.Deserialize<ClaimOutcome>(stored.Response, Json)!;
    }

    public static Task StoreAsync(NpgsqlTransaction tx, Guid volunteerId, string key, ClaimOutcome outcome, CancellationToken ct)
    {
        const string sql = """
            UPDATE idempotency_keys SET status_code = @status, response = @response::jsonb WHERE volunteer_id = @volunteerId AND key = @key
            """;
        return tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new
        {
            volunteerId,
            key,
            status = outcome.Status,
            response = JsonSerializer.Serialize(outcome, Json),
        }, tx, cancellationToken: ct));
    }
}
