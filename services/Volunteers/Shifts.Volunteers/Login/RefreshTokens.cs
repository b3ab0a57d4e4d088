using Shifts.ServiceDefaults.Security;
using Dapper;
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
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO refresh_families (id, volunteer_id, created_at, expires_at) VALUES (@familyId, @volunteerId, @now, @familyEnds)",
            new { familyId, volunteerId, now, familyEnds }, tx, cancellationToken: ct));
        return await AddTokenAsync(tx, familyId, volunteerId, Min(now + tokenLifetime, familyEnds), now, ct);
    }

    /// <summary>
    /// Spends the token (one conditional UPDATE: of requests racing with the same token, one wins)
    /// and adds the family's next one. A token that was already spent revokes its family, unless
    /// <see cref="RefreshReuse.Judge"/> finds it spent just now.
    /// </summary>
    public static async Task<Rotation> RotateAsync(NpgsqlTransaction tx, byte[] hash, TimeSpan tokenLifetime, TimeSpan reuseGrace, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var connection = tx.Connection!;
        var spent = await connection.QuerySingleOrDefaultAsync<SpentToken>(new CommandDefinition("""
            UPDATE refresh_tokens t SET spent_at = @now
            FROM refresh_families f
            WHERE t.token_hash = @hash AND f.id = t.family_id
              AND t.spent_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > @now
              AND f.revoked_at IS NULL AND f.expires_at > @now
            RETURNING t.family_id, t.volunteer_id, f.expires_at AS family_ends
            """, new { hash, now }, tx, cancellationToken: ct));
        if (spent is not null)
        {
            var next = await AddTokenAsync(tx, spent.FamilyId, spent.VolunteerId, Min(now + tokenLifetime, spent.FamilyEnds), now, ct);
            return new Rotation.Rotated(spent.VolunteerId, spent.FamilyId, next);
        }

        // Not usable: tell a spent token (reuse: revoke, unless just spent) from the rest (unknown, expired, revoked).
        var earlier = await connection.QuerySingleOrDefaultAsync<EarlierUse>(new CommandDefinition("""
            SELECT t.family_id, t.spent_at, t.revoked_at IS NOT NULL OR f.revoked_at IS NOT NULL AS revoked
            FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
            WHERE t.token_hash = @hash AND t.spent_at IS NOT NULL
            """, new { hash }, tx, cancellationToken: ct));
        if (earlier is null)
        {
            return new Rotation.Refused();
        }

        var verdict = RefreshReuse.Judge(earlier.FamilyId, earlier.SpentAt, earlier.Revoked, now, reuseGrace);
        if (verdict is Rotation.Reused)
        {
            await RevokeFamilyAsync(tx, earlier.FamilyId, ct);
        }

        return verdict;
    }

    /// <summary>Revokes the family the token belongs to, if it is the caller's; true when there was one to revoke.</summary>
    public static async Task<bool> RevokeFamilyOfAsync(NpgsqlTransaction tx, byte[] hash, Guid volunteerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var familyId = await tx.Connection!.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT family_id FROM refresh_tokens WHERE token_hash = @hash AND volunteer_id = @volunteerId",
            new { hash, volunteerId }, tx, cancellationToken: ct));
        if (familyId is not { } family)
        {
            return false;
        }

        await RevokeFamilyAsync(tx, family, ct);
        return true;
    }

    /// <summary>Revokes one family and every token of it.</summary>
    public static Task RevokeFamilyAsync(NpgsqlTransaction tx, Guid familyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return tx.Connection!.ExecuteAsync(new CommandDefinition("""
            UPDATE refresh_families SET revoked_at = now() WHERE id = @familyId AND revoked_at IS NULL;
            UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = @familyId AND revoked_at IS NULL;
            """, new { familyId }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Revokes every session of the person ("log out everywhere", removal from their last
    /// organisation): no refresh token of theirs works afterwards, and the access tokens already
    /// issued end within <c>Auth:AccessTokenLifetime</c>. Runs in the caller's transaction, so it
    /// takes effect together with the change that calls for it.
    /// </summary>
    public static Task RevokeAllAsync(NpgsqlTransaction tx, Guid volunteerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return tx.Connection!.ExecuteAsync(new CommandDefinition("""
            UPDATE refresh_families SET revoked_at = now() WHERE volunteer_id = @volunteerId AND revoked_at IS NULL;
            UPDATE refresh_tokens SET revoked_at = now() WHERE volunteer_id = @volunteerId AND revoked_at IS NULL;
            """, new { volunteerId }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Deletes families (with their tokens) that ended before <paramref name="before"/>: revoked,
    /// past their absolute end, or whose newest token has expired unused. Until then their spent
    /// tokens are kept, so that reuse is still recognised.
    /// </summary>
    public static async Task<int> ForgetEndedAsync(NpgsqlDataSource db, DateTimeOffset before, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM refresh_families f
            WHERE f.revoked_at < @before
               OR f.expires_at < @before
               OR NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id AND t.expires_at >= @before)
            """, new { before }, cancellationToken: ct));
    }

    private static async Task<string> AddTokenAsync(NpgsqlTransaction tx, Guid familyId, Guid volunteerId, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct)
    {
        var (token, hash) = OpaqueTokens.Create();
        await tx.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO refresh_tokens (token_hash, family_id, volunteer_id, created_at, expires_at)
            VALUES (@hash, @familyId, @volunteerId, @now, @expiresAt)
            """, new { hash, familyId, volunteerId, now, expiresAt }, tx, cancellationToken: ct));
        return token;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record SpentToken(Guid FamilyId, Guid VolunteerId, DateTimeOffset FamilyEnds)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private SpentToken()
            : this(default!, default!, default!)
        {
        }
    }

    private sealed record EarlierUse(Guid FamilyId, DateTimeOffset SpentAt, bool Revoked)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private EarlierUse()
            : this(default!, default!, default!)
        {
        }
    }
}

/// <summary>What a refresh token that was spent before gets when it is presented again.</summary>
public static class RefreshReuse
{
    /// <summary>
    /// Within <paramref name="grace"/> of its use, and with neither the token nor its family revoked,
    /// it was a request of the same session that lost the race (<see cref="Rotation.Superseded"/>);
    /// otherwise two parties hold the session, which ends (<see cref="Rotation.Reused"/>).
    /// </summary>
    public static Rotation Judge(Guid familyId, DateTimeOffset spentAt, bool revoked, DateTimeOffset now, TimeSpan grace) =>
        !revoked && spentAt > now - grace ? new Rotation.Superseded(familyId) : new Rotation.Reused(familyId);
}
