using System.Collections.Concurrent;
using System.Net;

namespace Shifts.Demo.Api;

/// <summary>
/// Joining and logging in as a person does: a link by mail, clicked (confirmed) or exchanged for a session (an access token that lives
/// minutes and a refresh token). Callers keep the access token they were given; the gateway client
/// asks <see cref="CurrentAsync"/> before each request, which refreshes the session in the last
/// third of the access token's life, so a long load never sends an expired one.
/// </summary>
public sealed class Logins
{
    private readonly GatewayClient _gateway;
    private readonly MailInbox _inbox;
    private readonly TimeProvider _time;

    // Keyed by the access token first handed out for the session, which is what callers hold.
    private readonly ConcurrentDictionary<string, DemoSession> _sessions = new(StringComparer.Ordinal);

    public Logins(GatewayClient gateway, MailInbox inbox, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        _gateway = gateway;
        _inbox = inbox;
        _time = time ?? TimeProvider.System;
        gateway.RenewTokensWith(CurrentAsync);
    }

    /// <summary>Asks for a login link for <paramref name="email"/>, reads it from the inbox and exchanges it.</summary>
    public async Task<string> LogInAsync(string email, CancellationToken cancellationToken)
    {
        var before = await _inbox.MailIdsAsync(email, cancellationToken);
        await _gateway.SendAsync(HttpMethod.Post, "/api/auth/login-links", null, new { email }, cancellationToken, HttpStatusCode.Accepted);
        return await ExchangeAsync(await _inbox.LoginTokenAsync(email, before, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Clicks the confirmation link mailed to <paramref name="email"/> after <paramref name="before"/>
    /// (POST /api/memberships/confirm): the membership starts now. Answers the person's id and, for a
    /// person who did not exist before, the access token of the session the confirmation opens.
    /// </summary>
    public async Task<(Guid VolunteerId, string? AccessToken)> ConfirmAsync(string email, IReadOnlySet<string> before, CancellationToken cancellationToken)
    {
        var token = await _inbox.ConfirmationTokenAsync(email, before, cancellationToken);
        var confirmed = await _gateway.SendAsync(HttpMethod.Post, "/api/memberships/confirm", null, new { token }, cancellationToken, HttpStatusCode.OK);
        var body = confirmed.Body.GetProperty("session");
        string? accessToken = null;
        if (body.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            var session = new DemoSession(body, _time.GetUtcNow());
            _sessions[session.AccessToken] = session;
            accessToken = session.AccessToken;
        }

        return (confirmed.Body.GetProperty("volunteerId").GetGuid(), accessToken);
    }

    public Task<IReadOnlySet<string>> MailIdsAsync(string email, CancellationToken cancellationToken) => _inbox.MailIdsAsync(email, cancellationToken);

    /// <summary>The access token to send now for one handed out by this class (other tokens pass unchanged).</summary>
    public async Task<string> CurrentAsync(string token, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(token, out var session))
        {
            return token;
        }

        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            if (_time.GetUtcNow() >= session.RenewAt)
            {
                // Refresh tokens are sent without an Authorization header; one refresh at a time per
                // session, since presenting a spent refresh token again would end the session.
                var refreshed = await _gateway.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = session.RefreshToken }, cancellationToken, HttpStatusCode.OK);
                session.Renew(refreshed.Body, _time.GetUtcNow());
            }

            return session.AccessToken;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private async Task<string> ExchangeAsync(string loginToken, CancellationToken cancellationToken)
    {
        var answer = await _gateway.SendAsync(HttpMethod.Post, "/api/auth/sessions", null, new { token = loginToken }, cancellationToken, HttpStatusCode.OK);
        var session = new DemoSession(answer.Body, _time.GetUtcNow());
        _sessions[session.AccessToken] = session;
        return session.AccessToken;
    }

    private sealed class DemoSession
    {
        public DemoSession(System.Text.Json.JsonElement body, DateTimeOffset now) => Renew(body, now);

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string AccessToken { get; private set; } = "";

        public string RefreshToken { get; private set; } = "";

        public DateTimeOffset RenewAt { get; private set; }

        public void Renew(System.Text.Json.JsonElement body, DateTimeOffset now)
        {
            AccessToken = body.GetProperty("accessToken").GetString()!;
            RefreshToken = body.GetProperty("refreshToken").GetString()!;
            RenewAt = now + TimeSpan.FromSeconds(body.GetProperty("expiresIn").GetInt32() * 2 / 3.0);
        }
    }
}
