using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Database;

namespace Shifts.Volunteers.Tokens;

/// <summary>
/// The ES256 keys access tokens are signed with, and the public keys that must still validate.
/// <para>
/// Production configures the key (<c>Auth:SigningKey</c>, PEM); its public half is recorded in
/// <c>signing_keys</c> and every other key is retired, so rotating means configuring a new key: the
/// old one stays published until the last token it signed has expired. Without a configured key
/// (local runs, tests) one is generated once and kept in the database, so every replica and every
/// restart signs with the same key; retiring its row makes the next refresh generate a new one.
/// Generation runs under an advisory lock, and a unique index allows one current key only.
/// </para>
/// </summary>
public sealed partial class SigningKeys(Transactions transactions, IOptions<TokenSettings> options, TimeProvider time, ILogger<SigningKeys> logger)
    : IHostedService, IDisposable
{
    private const long GenerationLockKey = 0x5348494654535f4b; // "SHIFTS_K"

    // Tokens signed just before their key retired stay valid for a lifetime, plus clock skew.
    private static readonly TimeSpan ClockSkewMargin = TimeSpan.FromMinutes(5);

    private readonly TokenSettings _settings = options.Value;
    private readonly Dictionary<string, ECDsaSecurityKey> _publicKeys = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _refreshing;
    private int _disposed;
    private volatile KeyRing? _ring;

    private sealed record KeyRing(ECDsaSecurityKey Current, IReadOnlyList<ECDsaSecurityKey> Published);

    /// <summary>A signing_keys row, as far as a query reads it.</summary>
    private sealed record StoredKey(string Kid, string? PublicKey, string? PrivateKey)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private StoredKey()
            : this(default!, default, default)
        {
        }
    }

    /// <summary>The key new tokens are signed with (its <c>KeyId</c> is the token's <c>kid</c>).</summary>
    public ECDsaSecurityKey Current => (_ring ?? throw new InvalidOperationException("The signing keys are not loaded yet.")).Current;

    /// <summary>Public keys of the current and the recently retired keys: what validates and what /.well-known/jwks.json shows.</summary>
    public IReadOnlyList<ECDsaSecurityKey> Published => _ring?.Published ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var current = string.IsNullOrWhiteSpace(_settings.SigningKey)
            ? await EnsureGeneratedKeyAsync(cancellationToken)
            : await AdoptConfiguredKeyAsync(_settings.SigningKey, cancellationToken);
        _ring = new KeyRing(current, await LoadPublishedAsync(current, cancellationToken));
        LogSigningWith(logger, current.KeyId, string.IsNullOrWhiteSpace(_settings.SigningKey) ? "the database" : "configuration");
        _refreshing = RefreshAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_refreshing is not null)
        {
            await _refreshing;
        }
    }

    /// <summary>Picks up keys other replicas created or retired.</summary>
    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_settings.KeyRefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var current = string.IsNullOrWhiteSpace(_settings.SigningKey)
                        ? await EnsureGeneratedKeyAsync(stoppingToken)
                        : Current; // a configured key is ours until the configuration changes
                    _ring = new KeyRing(current, await LoadPublishedAsync(current, stoppingToken));
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    LogRefreshFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>The current generated key, generating it when there is none (first start, or after its row was retired).</summary>
    private async Task<ECDsaSecurityKey> EnsureGeneratedKeyAsync(CancellationToken cancellationToken)
    {
        var (kid, privateKey) = await transactions.RunAsync(async (tx, ct) =>
        {
            var connection = tx.Connection!;

            // The usual case, without the lock: a generated key is current.
            if (await connection.QuerySingleOrDefaultAsync<StoredKey>(new CommandDefinition(
                "SELECT kid, private_key FROM signing_keys WHERE retired_at IS NULL AND private_key IS NOT NULL", transaction: tx, cancellationToken: ct)) is { } stored)
            {
                return (stored.Kid, stored.PrivateKey!);
            }

            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = GenerationLockKey }, tx, cancellationToken: ct));

            // A key that used to be configured cannot sign here (we never had its private half).
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE signing_keys SET retired_at = @now WHERE retired_at IS NULL AND private_key IS NULL", new { now = time.GetUtcNow() }, tx, cancellationToken: ct));

            if (await connection.QuerySingleOrDefaultAsync<StoredKey>(new CommandDefinition(
                "SELECT kid, private_key FROM signing_keys WHERE retired_at IS NULL", transaction: tx, cancellationToken: ct)) is { } generatedMeanwhile)
            {
                return (generatedMeanwhile.Kid, generatedMeanwhile.PrivateKey!);
            }

            using var generated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var newKid = KeyId(generated);
            var pem = generated.ExportPkcs8PrivateKeyPem();
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO signing_keys (kid, public_key, private_key, created_at) VALUES (@kid, @publicKey, @privateKey, @now)",
                new { kid = newKid, publicKey = generated.ExportSubjectPublicKeyInfoPem(), privateKey = pem, now = time.GetUtcNow() }, tx, cancellationToken: ct));

            LogGenerated(logger, newKid);
            return (newKid, pem);
        }, cancellationToken);

        if (_ring?.Current is { } current && current.KeyId == kid)
        {
            return current;
        }

        var key = ECDsa.Create();
        key.ImportFromPem(privateKey);
        return new ECDsaSecurityKey(key) { KeyId = kid };
    }

    /// <summary>Makes the configured key the current one and retires every other.</summary>
    private async Task<ECDsaSecurityKey> AdoptConfiguredKeyAsync(string pem, CancellationToken cancellationToken)
    {
        var key = ParsePrivateKey(pem);
        var kid = KeyId(key);
        await transactions.RunAsync(async (tx, ct) =>
        {
            const string sql = """
                SELECT pg_advisory_xact_lock(@lock);
                UPDATE signing_keys SET retired_at = @now WHERE retired_at IS NULL AND kid <> @kid;
                INSERT INTO signing_keys (kid, public_key, private_key, created_at) VALUES (@kid, @publicKey, NULL, @now)
                ON CONFLICT (kid) DO UPDATE SET retired_at = NULL;
                """;
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                sql, new { @lock = GenerationLockKey, now = time.GetUtcNow(), kid, publicKey = key.ExportSubjectPublicKeyInfoPem() }, tx, cancellationToken: ct));
        }, cancellationToken);
        return new ECDsaSecurityKey(key) { KeyId = kid };
    }

    private async Task<IReadOnlyList<ECDsaSecurityKey>> LoadPublishedAsync(ECDsaSecurityKey current, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - _settings.AccessTokenLifetime - ClockSkewMargin;
        var rows = await transactions.RunAsync(async (tx, ct) => (await tx.Connection!.QueryAsync<StoredKey>(new CommandDefinition("""
            SELECT kid, public_key FROM signing_keys
            WHERE retired_at IS NULL OR retired_at > @since
            ORDER BY created_at DESC
            """, new { since }, tx, cancellationToken: ct))).ToList(), cancellationToken);

        // Public halves are parsed once per kid and reused: the token handler caches by key.
        var published = new List<ECDsaSecurityKey> { PublicKeyFor(current.KeyId, current.ECDsa.ExportSubjectPublicKeyInfoPem()) };
        published.AddRange(rows.Where(r => r.Kid != current.KeyId).Select(r => PublicKeyFor(r.Kid, r.PublicKey!)));
        return published;
    }

    private ECDsaSecurityKey PublicKeyFor(string kid, string publicPem)
    {
        if (!_publicKeys.TryGetValue(kid, out var key))
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(publicPem);
            _publicKeys[kid] = key = new ECDsaSecurityKey(ecdsa) { KeyId = kid };
        }

        return key;
    }

    /// <summary>A PEM EC private key on P-256 ("EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY"); anything else stops the start.</summary>
    public static ECDsa ParsePrivateKey(string pem)
    {
        // Environment variables often carry the PEM on one line with literal "\n".
        var text = pem.Contains('\n', StringComparison.Ordinal) ? pem : pem.Replace("\\n", "\n", StringComparison.Ordinal);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(text);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            if (parameters.D is null || parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new StartupException("Auth:SigningKey must be an EC private key on the P-256 curve (ES256).");
            }

            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new StartupException($"Auth:SigningKey is not a PEM EC private key: {ex.Message}");
        }
        catch (StartupException)
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The RFC 7638 JWK thumbprint, base64url: stable for a key, the same in every replica.</summary>
    public static string KeyId(ECDsa key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonWebKey
        {
            Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
            Crv = JsonWebKeyECTypes.P256,
            X = Base64UrlEncoder.Encode(parameters.Q.X),
            Y = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
        return Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
    }

    /// <remarks>
    /// The keys' ECDsa objects are deliberately not disposed: IdentityModel caches signature
    /// providers process-wide by key thumbprint, so a later instance with the same key (a restarted
    /// host in the same process) could be handed a provider around a disposed key.
    /// </remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing access tokens with key {Kid} from {Source}")]
    private static partial void LogSigningWith(ILogger logger, string kid, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated signing key {Kid}")]
    private static partial void LogGenerated(ILogger logger, string kid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the signing keys; keeping the ones loaded: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
