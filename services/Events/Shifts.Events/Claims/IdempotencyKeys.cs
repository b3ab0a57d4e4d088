using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
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
        await using (var reserve = new NpgsqlCommand("""
            INSERT INTO idempotency_keys (volunteer_id, key, request) VALUES (@volunteerId, @key, @request)
            ON CONFLICT DO NOTHING
            """, tx.Connection, tx))
        {
            reserve.Parameters.AddWithValue("volunteerId", volunteerId);
            reserve.Parameters.AddWithValue("key", key);
            reserve.Parameters.AddWithValue("request", request);
            if (await reserve.ExecuteNonQueryAsync(ct) == 1)
            {
                return null;
            }
        }

        await using var read = new NpgsqlCommand(
            "SELECT request, response::text FROM idempotency_keys WHERE volunteer_id = @volunteerId AND key = @key", tx.Connection, tx);
        read.Parameters.AddWithValue("volunteerId", volunteerId);
        read.Parameters.AddWithValue("key", key);
        await using var reader = await read.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetString(0) != request)
        {
            return new ClaimOutcome(409, null, "idempotency-key-reused", "This Idempotency-Key was used for a different request.");
        }

        return JsonSerializer.Deserialize<ClaimOutcome>(reader.GetString(1), Json)!;
    }

    public static async Task StoreAsync(NpgsqlTransaction tx, Guid volunteerId, string key, ClaimOutcome outcome, CancellationToken ct)
    {
        await using var store = new NpgsqlCommand("""
            UPDATE idempotency_keys SET status_code = @status, response = @response WHERE volunteer_id = @volunteerId AND key = @key
            """, tx.Connection, tx);
        store.Parameters.AddWithValue("volunteerId", volunteerId);
        store.Parameters.AddWithValue("key", key);
        store.Parameters.AddWithValue("status", outcome.Status);
        store.Parameters.AddWithValue("response", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(outcome, Json));
        await store.ExecuteNonQueryAsync(ct);
    }
}
