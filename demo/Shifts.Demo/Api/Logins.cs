using System.Net;

namespace Shifts.Demo.Api;

/// <summary>Joining and logging in as a person does: a link by mail, clicked (confirmed) or exchanged for an access token.</summary>
public sealed class Logins(GatewayClient gateway, MailInbox inbox)
{
    /// <summary>Asks for a login link for <paramref name="email"/>, reads it from the inbox and exchanges it.</summary>
    public async Task<string> LogInAsync(string email, CancellationToken cancellationToken)
    {
        var before = await inbox.MailIdsAsync(email, cancellationToken);
        await gateway.SendAsync(HttpMethod.Post, "/api/auth/login-links", null, new { email }, cancellationToken, HttpStatusCode.Accepted);
        return await ExchangeAsync(await inbox.LoginTokenAsync(email, before, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Clicks the confirmation link mailed to <paramref name="email"/> after <paramref name="before"/>
    /// (POST /api/memberships/confirm): the membership starts now. Answers the person's id and, for a
    /// person who did not exist before, the access token of the session the confirmation opens.
    /// </summary>
    public async Task<(Guid VolunteerId, string? AccessToken)> ConfirmAsync(string email, IReadOnlySet<string> before, CancellationToken cancellationToken)
    {
        var token = await inbox.ConfirmationTokenAsync(email, before, cancellationToken);
        var confirmed = await gateway.SendAsync(HttpMethod.Post, "/api/memberships/confirm", null, new { token }, cancellationToken, HttpStatusCode.OK);
        var session = confirmed.Body.GetProperty("session");
        return (confirmed.Body.GetProperty("volunteerId").GetGuid(),
            session.ValueKind == System.Text.Json.JsonValueKind.Object ? session.GetProperty("accessToken").GetString() : null);
    }

    public Task<IReadOnlySet<string>> MailIdsAsync(string email, CancellationToken cancellationToken) => inbox.MailIdsAsync(email, cancellationToken);

    private async Task<string> ExchangeAsync(string loginToken, CancellationToken cancellationToken)
    {
        var session = await gateway.SendAsync(HttpMethod.Post, "/api/auth/sessions", null, new { token = loginToken }, cancellationToken, HttpStatusCode.OK);
        return session.Body.GetProperty("accessToken").GetString()!;
    }
}
