using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;
using Shifts.ServiceDefaults;
using Shifts.ServiceDefaults.Database;
using Shifts.Volunteers.People;

namespace Shifts.Volunteers.Login;

/// <summary>
/// Login-link requests between the answer and the work. POST /api/auth/login-links answers 202 as
/// soon as the request is counted and queued here, for a known address exactly as for an unknown
/// one: the lookup of the address and the link (a row and an outbox message) happen afterwards in
/// <see cref="LoginLinkIssuer"/>, so the answer's timing tells nothing about who is a member.
/// Bounded: when the issuers fall behind, callers wait for room, whatever the address.
/// </summary>
public sealed class LoginLinkQueue
{
    private readonly Channel<LoginLinkWork> _requests = Channel.CreateBounded<LoginLinkWork>(new BoundedChannelOptions(1000)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleWriter = false,
        SingleReader = false,
    });

    /// <summary>Queues the address, with the request's trace, so the mail still belongs to the request's trace.</summary>
    public ValueTask EnqueueAsync(string email, CancellationToken cancellationToken) =>
        _requests.Writer.WriteAsync(new LoginLinkWork(email, Activity.Current?.Context ?? default), cancellationToken);

    internal ChannelReader<LoginLinkWork> Reader => _requests.Reader;
}

internal readonly record struct LoginLinkWork(string Email, ActivityContext Trace);

/// <summary>
/// Takes queued login-link requests and does what the request used to do before answering: look
/// the address up and, when it is a volunteer's, issue the link in one transaction (link row and
/// LoginLinkRequested in the outbox). Unknown addresses end here, silently.
/// Durability: the queue is in memory. A graceful stop issues what is queued; a crash loses the
/// requests of the last moments (already answered 202): the person asks again, as for a lost mail.
/// </summary>
public sealed partial class LoginLinkIssuer(LoginLinkQueue queue, Transactions transactions, IConfiguration configuration, TimeProvider time, ILogger<LoginLinkIssuer> logger)
    : BackgroundService
{
    /// <summary>A few at once: each is one short transaction; the rate limits bound what arrives.</summary>
    private const int Workers = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));

        // Stopping: the web server has stopped taking requests; what was accepted is issued now.
        while (queue.Reader.TryRead(out var work))
        {
            await IssueAsync(work, CancellationToken.None);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (queue.Reader.TryRead(out var work))
                {
                    await IssueAsync(work, CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping; ExecuteAsync drains the rest
        }
    }

    private async Task IssueAsync(LoginLinkWork work, CancellationToken cancellationToken)
    {
        // A child of the request that asked: the outbox row carries this trace on to the mail.
        using var activity = ShiftsTelemetry.Source.StartActivity("login link issue", ActivityKind.Internal, work.Trace);
        var email = work.Email;
        try
        {
            await transactions.RunAsync(async (transaction, token) =>
            {
                var volunteer = await VolunteerRows.FindByEmailAsync(transaction, email, token);
                if (volunteer is null)
                {
                    return; // same answer was given, no mail: nobody learns whether the address is known
                }

                await LoginLinks.IssueAsync(transaction, volunteer, LoginLinks.PublicBaseUrl(configuration), time.GetUtcNow(), token);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The transient retries are spent (the database is away): this one request is lost,
            // as a mail can be; the person asks again. The address stays out of the log.
            LogFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A login link could not be issued; the request is dropped: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
