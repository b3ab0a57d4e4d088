using Npgsql;

namespace Shifts.Volunteers.Login;

/// <summary>What a refresh did: a new token for the person, or a refusal (and whether it was a reused token).</summary>
public abstract record Rotation
{
    private Rotation()
    {
    }

    public sealed record Rotated(Guid VolunteerId, Guid FamilyId, string RefreshToken) : Rotation;

    /// <summary>Unknown, expired or revoked: nothing changed.</summary>
    public sealed record Refused : Rotation;

    /// <summary>A spent token presented again: its whole family is revoked now.</summary>
    public sealed record Reused(Guid FamilyId) : Rotation;

    /// <summary>
    /// A token spent moments ago (within <c>Auth:RefreshReuseGrace</c>) presented again: refused, but
    /// the family lives on. Two requests of one browser carrying the same cookie look like this.
    /// </summary>
    public sealed record Superseded(Guid FamilyId) : Rotation;
}

/// <summary>
/// Refresh tokens (<see cref="OpaqueTokens"/>, stored as their SHA-256) in families: a login opens
/// a family, every refresh spends the family's current token and adds the next. A token is valid
/// for <c>Auth:RefreshTokenLifetime</c> from its issue, never past the family's absolute end
/// (<c>Auth:SessionLifetime</c> from the login). A spent token presented again means two parties
/// hold the family (a copied token): the whole family is revoked, and both have to log in again;
/// except within a short grace after it was spent (<c>Auth:RefreshReuseGrace</c>, 30 s), when it is
/// only refused. A web app's pages and a second tab arrive together with one cookie, and the one that
/// loses the race must not end the session. The refused party gets nothing: a thief who presents a
/// stolen token within the grace learns nothing and holds nothing, and a thief who refreshed first
/// is found out when the victim's next refresh comes after the grace (detection is delayed by at most
/// the grace, never lost).
/// Revoking a family also revokes every token of it, and a refresh checks the family row in the
/// statement that spends the token, so a token issued just before its family was revoked fails too.
/// </summary>
public static class RefreshTokens
{
    /// <summary>Opens a family for a login and returns its first refresh token.</summary>
    public static async Task<string> OpenFamilyAsync(NpgsqlTransaction tx, Guid volunteerId, TimeSpan tokenLifetime, TimeSpan sessionLifetime, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var familyId = Guid.CreateVersion7(now);
        var familyEnds = now + sessionLifetime;
        await using (var family = new NpgsqlCommand(
            "INSERT INTO refresh_families (id, volunteer_id, created_at, expires_at) VALUES (@id, @volunteer, @now, @expires)", tx.Connection, tx))
        {
            family.Parameters.AddWithValue("id", familyId);
            family.Parameters.AddWithValue("volunteer", volunteerId);
            family.Parameters.AddWithValue("now", now);
            family.Parameters.AddWithValue("expires", familyEnds);
            await family.ExecuteNonQueryAsync(ct);
        }

        return await AddTokenAsync(tx, familyId, volunteerId, Min(now + tokenLifetime, familyEnds), now, ct);
    }

    /// <summary>
    /// Spends the token (one conditional UPDATE: of requests racing with the same token, one wins)
    /// and adds the family's next one. A token that was already spent revokes its family.
    /// </summary>
    public static async Task<Rotation> RotateAsync(NpgsqlTransaction tx, byte[] hash, TimeSpan tokenLifetime, TimeSpan reuseGrace, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string spend = """
            UPDATE refresh_tokens t SET spent_at = @now
            FROM refresh_families f
            WHERE t.token_hash = @hash AND f.id = t.family_id
              AND t.spent_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > @now
              AND f.revoked_at IS NULL AND f.expires_at > @now
            RETURNING t.family_id, t.volunteer_id, f.expires_at
            """;
        await using (var command = new NpgsqlCommand(spend, tx.Connection, tx))
        {
            command.Parameters.AddWithValue("hash", hash);
            command.Parameters.AddWithValue("now", now);
            Guid familyId, volunteerId;
            DateTimeOffset familyEnds;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    familyId = Guid.Empty;
                    volunteerId = Guid.Empty;
                    familyEnds = default;
                }
                else
                {
                    familyId = reader.GetGuid(0);
                    volunteerId = reader.GetGuid(1);
                    familyEnds = reader.GetFieldValue<DateTimeOffset>(2);
                }
            }

            if (familyId != Guid.Empty)
            {
                var next = await AddTokenAsync(tx, familyId, volunteerId, Min(now + tokenLifetime, familyEnds), now, ct);
                return new Rotation.Rotated(volunteerId, familyId, next);
            }
        }

        // Not usable: tell a spent token (reuse: revoke, unless just spent) from the rest (unknown, expired, revoked).
        const string spent = """
            SELECT t.family_id, t.spent_at > @graceStart AND t.revoked_at IS NULL AND f.revoked_at IS NULL
            FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
            WHERE t.token_hash = @hash AND t.spent_at IS NOT NULL
            """;
        await using (var find = new NpgsqlCommand(spent, tx.Connection, tx))
        {
            find.Parameters.AddWithValue("hash", hash);
            find.Parameters.AddWithValue("graceStart", now - reuseGrace);
            Guid reusedFamily;
            bool withinGrace;
            await using (var reader = await find.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    return new Rotation.Refused();
                }

                reusedFamily = reader.GetGuid(0);
                withinGrace = reader.GetBoolean(1);
            }

            if (withinGrace)
            {
                return new Rotation.Superseded(reusedFamily);
            }

            await RevokeFamilyAsync(tx, reusedFamily, ct);
            return new Rotation.Reused(reusedFamily);
        }
    }

    /// <summary>Revokes the family the token belongs to, if it is the caller's; true when there was one to revoke.</summary>
    public static async Task<bool> RevokeFamilyOfAsync(NpgsqlTransaction tx, byte[] hash, Guid volunteerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var find = new NpgsqlCommand(
            "SELECT family_id FROM refresh_tokens WHERE token_hash = @hash AND volunteer_id = @volunteer", tx.Connection, tx);
        find.Parameters.AddWithValue("hash", hash);
        find.Parameters.AddWithValue("volunteer", volunteerId);
        if (await find.ExecuteScalarAsync(ct) is not Guid familyId)
        {
            return false;
        }

        await RevokeFamilyAsync(tx, familyId, ct);
        return true;
    }

    /// <summary>Revokes one family and every token of it.</summary>
    public static async Task RevokeFamilyAsync(NpgsqlTransaction tx, Guid familyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            UPDATE refresh_families SET revoked_at = now() WHERE id = @family AND revoked_at IS NULL;
            UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = @family AND revoked_at IS NULL;
            """;
        await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
        command.Parameters.AddWithValue("family", familyId);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Revokes every session of the person ("log out everywhere", removal from their last
    /// organisation): no refresh token of theirs works afterwards, and the access tokens already
    /// issued end within <c>Auth:AccessTokenLifetime</c>. Runs in the caller's transaction, so it
    /// takes effect together with the change that calls for it.
    /// </summary>
    public static async Task RevokeAllAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            UPDATE refresh_families SET revoked_at = now() WHERE volunteer_id = @volunteer AND revoked_at IS NULL;
            UPDATE refresh_tokens SET revoked_at = now() WHERE volunteer_id = @volunteer AND revoked_at IS NULL;
            """;
        await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
        command.Parameters.AddWithValue("volunteer", volunteerId);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Deletes families (with their tokens) that ended before <paramref name="before"/>: revoked,
    /// past their absolute end, or whose newest token has expired unused. Until then their spent
    /// tokens are kept, so that reuse is still recognised.
    /// </summary>
    public static async Task<int> ForgetEndedAsync(NpgsqlDataSource db, DateTimeOffset before, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var command = db.CreateCommand("""
            DELETE FROM refresh_families f
            WHERE f.revoked_at < @before
               OR f.expires_at < @before
               OR NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id AND t.expires_at >= @before)
            """);
        command.Parameters.AddWithValue("before", before);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string> AddTokenAsync(NpgsqlTransaction tx, Guid familyId, Guid volunteerId, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct)
    {
        var (token, hash) = OpaqueTokens.Create();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO refresh_tokens (token_hash, family_id, volunteer_id, created_at, expires_at)
            VALUES (@hash, @family, @volunteer, @now, @expires)
            """, tx.Connection, tx);
        insert.Parameters.AddWithValue("hash", hash);
        insert.Parameters.AddWithValue("family", familyId);
        insert.Parameters.AddWithValue("volunteer", volunteerId);
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.AddWithValue("expires", expiresAt);
        await insert.ExecuteNonQueryAsync(ct);
        return token;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
