using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shifts.ServiceDefaults.Auth;

namespace Shifts.Volunteers.Tokens;

/// <summary>Who a token is issued to: the claims every service authorises by (ShiftsClaims).</summary>
public sealed record TokenSubject(Guid VolunteerId, string Name, IReadOnlyList<(string Org, string Role)> Memberships, bool IsPlatformAdmin);

/// <summary>
/// Issues access tokens: ES256 JWTs with issuer and audience "shifts", the volunteer id, name,
/// one "org:role" per membership and the platform-admin flag. Roles are read when the token is
/// issued (at login and at every refresh), and the token lives minutes (Auth:AccessTokenLifetime).
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
