using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shifts.ServiceDefaults.Auth;

namespace Shifts.Volunteers.Tokens;

/// <summary>Who a token is issued to (ShiftsClaims).</summary>
public sealed record TokenSubject(Guid VolunteerId, string Name, IReadOnlyList<(string Org, string Role)> Memberships, bool IsPlatformAdmin);

/// <summary>
/// Issues access tokens: ES256 JWTs with issuer and audience "shifts", the volunteer id, name,
/// one "org:role" per membership and the platform-admin flag. The token says who the caller is and
/// lives minutes (Auth:AccessTokenLifetime; a refresh issues the next one). Nothing authorises from
/// its "mem" and "padm" claims: every service reads the caller's current rights from its own
/// database (ICallerDirectory), so a role change, a removal, a new membership or an erasure counts
/// at once. The memberships stay in the token as a hint for clients (which organisations to show),
/// as of the moment it was issued.
/// </summary>
public sealed class AccessTokens(SigningKeys keys, IOptions<TokenSettings> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TimeSpan Lifetime => options.Value.AccessTokenLifetime;

    public string Issue(TokenSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [ShiftsClaims.Subject] = subject.VolunteerId.ToString(),
            [ShiftsClaims.Name] = subject.Name,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (subject.Memberships.Count > 0)
        {
            claims[ShiftsClaims.Membership] = subject.Memberships.Select(m => $"{m.Org}:{m.Role}").ToArray();
        }

        if (subject.IsPlatformAdmin)
        {
            claims[ShiftsClaims.PlatformAdmin] = "true";
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ShiftsClaims.Issuer,
            Audience = ShiftsClaims.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
