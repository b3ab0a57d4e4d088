using System.Net;

namespace Shifts.Demo.Api;

/// <summary>Logging in as a person does: a link by mail, exchanged for an access token.</summary>
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
    /// The access token for the newest of <paramref name="links"/> login links mailed to <paramref name="email"/>
    /// after <paramref name="before"/> (each invitation and each sign-up mails one).
    /// </summary>
    public async Task<string> FromNewMailsAsync(string email, IReadOnlySet<string> before, int links, CancellationToken cancellationToken) =>
        await ExchangeAsync(await inbox.LoginTokenAsync(email, before, cancellationToken, links), cancellationToken);

    public Task<IReadOnlySet<string>> MailIdsAsync(string email, CancellationToken cancellationToken) => inbox.MailIdsAsync(email, cancellationToken);

    private async Task<string> ExchangeAsync(string loginToken, CancellationToken cancellationToken)
    {
        var session = await gateway.SendAsync(HttpMethod.Post, "/api/auth/sessions", null, new { token = loginToken }, cancellationToken, HttpStatusCode.OK);
        return session.Body.GetProperty("accessToken").GetString()!;
    }
}
