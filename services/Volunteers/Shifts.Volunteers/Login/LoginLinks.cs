using Shifts.ServiceDefaults.Security;
using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.Volunteers.People;

namespace Shifts.Volunteers.Login;

/// <summary>
/// Creates a login link: an <see cref="OpaqueTokens"/> secret, stored only as its SHA-256 hash, valid for 15 minutes
/// and once; the link itself travels in LoginLinkRequested to the notifications service, which
/// mails it. Used by the login-link request, sign-up and invitations alike.
/// </summary>
public static class LoginLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public static async Task IssueAsync(NpgsqlTransaction tx, Volunteer volunteer, Uri publicBaseUrl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volunteer);
        ArgumentNullException.ThrowIfNull(tx);
        var (token, hash) = OpaqueTokens.Create();
        var expiresAt = now + Lifetime;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO login_links (token_hash, volunteer_id, expires_at, created_at) VALUES (@hash, @volunteerId, @expiresAt, @now)",
            new { hash, volunteerId = volunteer.Id, expiresAt, now }, tx, cancellationToken: cancellationToken));

        var link = new Uri(publicBaseUrl, $"login?token={token}");
        await Outbox.EnqueueAsync(tx,
            new LoginLinkRequested(volunteer.Id, volunteer.Email, volunteer.Name, volunteer.Locale, link, expiresAt),
            cancellationToken);
    }

    /// <summary>The token of a link back to the hash it is stored under; null when it cannot be one of ours (never an exception).</summary>
    public static byte[]? HashOf(string token) => OpaqueTokens.HashOf(token);

    /// <summary>Where the web app lives for the people reading the mail (<c>Shifts:PublicBaseUrl</c>).</summary>
    public static Uri PublicBaseUrl(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Shifts:PublicBaseUrl"] ?? "http://localhost:8080/";
        return new Uri(value.EndsWith('/') ? value : value + "/");
    }
}
