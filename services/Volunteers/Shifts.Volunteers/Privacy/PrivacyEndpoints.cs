using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Json;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Volunteers.Privacy;

/// <summary>
/// GDPR for the person themselves: <c>GET /api/me/export</c> (art. 15: everything every service
/// holds, as one JSON document) and <c>DELETE /api/me</c> (art. 17: erased everywhere within a
/// minute). The other services' parts are asked for over the bus (request/response), never read
/// from their databases; erasure is one integration event each service acts on.
/// </summary>
public static class PrivacyEndpoints
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Privacy");
        me.MapGet("/export", Export)
            .WithSummary("Export everything every service holds about the caller (GDPR art. 15)")
            .ProducesProblems(StatusCodes.Status404NotFound);
        me.MapDelete("", Erase)
            .WithSummary("Erase the caller everywhere (GDPR art. 17)");
        return app;
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Export(
        Caller caller,
        NpgsqlDataSource db,
        IRequestClient<ClaimsExportRequested> events,
        IRequestClient<DeliveriesExportRequested> notifications,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var id = caller.RequiredId;
        var own = await OwnDataAsync(db, id, cancellationToken);
        if (own is null)
        {
            return Problem.NotFound("There is no such person (any more).");
        }

        // Both services are asked at once; an export without one of them would be incomplete, so
        // a service that does not answer in time is a 503 to retry, not a partial document.
        var fromEvents = events.GetResponse<PersonalDataExported>(new ClaimsExportRequested(id), cancellationToken, RequestTimeout.After(s: (int)AnswerWithin.TotalSeconds));
        var fromNotifications = notifications.GetResponse<PersonalDataExported>(new DeliveriesExportRequested(id), cancellationToken, RequestTimeout.After(s: (int)AnswerWithin.TotalSeconds));
        try
        {
            await Task.WhenAll(fromEvents, fromNotifications);
        }
        catch (RequestTimeoutException)
        {
            return Problem.Unavailable("Not every service answered in time; please try again in a minute.");
        }

        return TypedResults.Ok(new JsonObject
        {
            ["exportedAt"] = Instant(time.GetUtcNow()),
            ["volunteers"] = own,
            ["events"] = JsonNode.Parse((await fromEvents).Message.Json),
            ["notifications"] = JsonNode.Parse((await fromNotifications).Message.Json),
        });
    }

    private static async Task<Accepted> Erase(Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var id = caller.RequiredId;
        await transactions.RunAsync(async (tx, ct) =>
        {
            // Messages about the person still in the outbox go; then the one every service acts on,
            // in the same transaction as the deletion: if the row goes, every service hears of it.
            await Outbox.ForgetAsync(tx, id, ct);
            await Outbox.EnqueueAsync(tx, new VolunteerErased(id), ct);
            const string erase = """
                UPDATE contact_access_log SET accessor_id = NULL WHERE accessor_id = @id;
                UPDATE membership_requests SET requested_by = NULL WHERE requested_by = @id;
                DELETE FROM membership_requests WHERE lower(email) = (SELECT lower(email) FROM volunteers WHERE id = @id);
                -- A confirmation mail's message names the address, not the person's id (it was sent before they existed).
                DELETE FROM outbox_messages
                WHERE message_type LIKE '%MembershipConfirmationRequested'
                  AND strpos(lower(body::text), (SELECT lower(email) FROM volunteers WHERE id = @id)) > 0;
                DELETE FROM volunteers WHERE id = @id;
                """;
            await tx.Connection!.ExecuteAsync(new CommandDefinition(erase, new { id }, tx, cancellationToken: ct));
        }, cancellationToken);

        // Memberships, qualifications, login links, sessions (refresh tokens) and a pending address
        // change go with the row (ON DELETE CASCADE): no refresh works after this, and every service
        // refuses the person's access tokens once VolunteerErased reaches it. Requests to join that
        // name the address go too; invitations the person sent lose their name.
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>This service's part of the export: the person's row and everything that names them, read in one round trip.</summary>
    private static async Task<JsonObject?> OwnDataAsync(NpgsqlDataSource db, Guid id, CancellationToken ct)
    {
        const string sql = """
            SELECT id, name, email, phone, locale, created_at, email_reminders, reminder_lead_times, quiet_hours_from, quiet_hours_to
            FROM volunteers WHERE id = @id;
            SELECT o.slug AS org, m.role, m.created_at AS since
            FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.volunteer_id = @id ORDER BY o.slug;
            SELECT o.slug AS org, q.code, q.granted_at
            FROM member_qualifications q JOIN organisations o ON o.id = q.org_id WHERE q.volunteer_id = @id ORDER BY o.slug, q.code;
            SELECT created_at, expires_at, used_at FROM login_links WHERE volunteer_id = @id ORDER BY created_at;
            SELECT f.created_at, f.expires_at, f.revoked_at, (SELECT max(t.created_at) FROM refresh_tokens t WHERE t.family_id = f.id) AS last_refreshed_at
            FROM refresh_families f WHERE f.volunteer_id = @id ORDER BY f.created_at;
            SELECT o.slug AS org, l.action, l.member_count, l.accessed_at
            FROM contact_access_log l JOIN organisations o ON o.id = l.org_id WHERE l.accessor_id = @id ORDER BY l.accessed_at;
            SELECT o.slug AS org, r.kind, r.role, r.name, r.created_at, r.expires_at
            FROM membership_requests r JOIN organisations o ON o.id = r.org_id
            WHERE lower(r.email) = (SELECT lower(email) FROM volunteers WHERE id = @id) ORDER BY r.created_at;
            SELECT new_email, created_at, expires_at FROM email_changes WHERE volunteer_id = @id;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var rows = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id }, cancellationToken: ct));
        var person = await rows.ReadSingleOrDefaultAsync<PersonRow>();
        if (person is null)
        {
            return null;
        }

        var document = new JsonObject
        {
            ["id"] = person.Id,
            ["name"] = person.Name,
            ["email"] = person.Email,
            ["phone"] = person.Phone,
            ["locale"] = person.Locale,
            ["registeredAt"] = Instant(person.CreatedAt),
            ["notificationPreferences"] = new JsonObject
            {
                ["email"] = person.EmailReminders,
                ["reminderLeadTimes"] = new JsonArray([.. person.ReminderLeadTimes.Select(t => (JsonNode?)IsoDurationConverter.Format(t))]),
                ["quietHours"] = person.QuietHoursFrom is not { } from ? null : new JsonObject
                {
                    ["from"] = Clock(from),
                    ["to"] = person.QuietHoursTo is { } to ? Clock(to) : null,
                },
            },
        };
        document["memberships"] = ArrayOf(await rows.ReadAsync<MembershipRow>(), r => new JsonObject { ["org"] = r.Org, ["role"] = r.Role, ["since"] = Instant(r.Since) });
        document["qualifications"] = ArrayOf(await rows.ReadAsync<QualificationRow>(), r => new JsonObject { ["org"] = r.Org, ["code"] = r.Code, ["grantedAt"] = Instant(r.GrantedAt) });
        document["loginLinks"] = ArrayOf(await rows.ReadAsync<LoginLinkRow>(), r => new JsonObject
        {
            ["requestedAt"] = Instant(r.CreatedAt),
            ["expiresAt"] = Instant(r.ExpiresAt),
            ["usedAt"] = Instant(r.UsedAt),
        });
        // Sessions: when each login was, until when it may run, when it was last refreshed or ended. Never the tokens.
        document["sessions"] = ArrayOf(await rows.ReadAsync<SessionRow>(), r => new JsonObject
        {
            ["loggedInAt"] = Instant(r.CreatedAt),
            ["endsAt"] = Instant(r.ExpiresAt),
            ["revokedAt"] = Instant(r.RevokedAt),
            ["lastRefreshedAt"] = Instant(r.LastRefreshedAt),
        });
        document["contactDetailReads"] = ArrayOf(await rows.ReadAsync<ContactReadRow>(), r => new JsonObject
        {
            ["org"] = r.Org,
            ["action"] = r.Action,
            ["members"] = r.MemberCount,
            ["at"] = Instant(r.AccessedAt),
        });
        // Pending requests to join an organisation with this address, and a pending change of address.
        document["membershipRequests"] = ArrayOf(await rows.ReadAsync<RequestRow>(), r => new JsonObject
        {
            ["org"] = r.Org,
            ["kind"] = r.Kind,
            ["role"] = r.Role,
            ["nameAsGiven"] = r.Name,
            ["requestedAt"] = Instant(r.CreatedAt),
            ["expiresAt"] = Instant(r.ExpiresAt),
        });
        document["emailChanges"] = ArrayOf(await rows.ReadAsync<EmailChangeRow>(), r => new JsonObject
        {
            ["newEmail"] = r.NewEmail,
            ["requestedAt"] = Instant(r.CreatedAt),
            ["expiresAt"] = Instant(r.ExpiresAt),
        });
        return document;
    }

    private static JsonArray ArrayOf<T>(IEnumerable<T> rows, Func<T, JsonNode> item) => new([.. rows.Select(item)]);

    private static string Instant(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    private static string? Instant(DateTimeOffset? value) => value is { } instant ? Instant(instant) : null;

    private static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private sealed record PersonRow(Guid Id, string Name, string Email, string? Phone, string Locale, DateTimeOffset CreatedAt,
        bool EmailReminders, TimeSpan[] ReminderLeadTimes, TimeOnly? QuietHoursFrom, TimeOnly? QuietHoursTo)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private PersonRow()
            : this(default!, default!, default!, default!, default!, default!, default!, default!, default!, default!)
        {
        }
    }

    private sealed record MembershipRow(string Org, string Role, DateTimeOffset Since)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private MembershipRow()
            : this(default!, default!, default!)
        {
        }
    }

    private sealed record QualificationRow(string Org, string Code, DateTimeOffset GrantedAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private QualificationRow()
            : this(default!, default!, default!)
        {
        }
    }

    private sealed record LoginLinkRow(DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private LoginLinkRow()
            : this(default!, default!, default!)
        {
        }
    }

    private sealed record SessionRow(DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastRefreshedAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private SessionRow()
            : this(default!, default!, default!, default!)
        {
        }
    }

    private sealed record ContactReadRow(string Org, string Action, int MemberCount, DateTimeOffset AccessedAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private ContactReadRow()
            : this(default!, default!, default!, default!)
        {
        }
    }

    private sealed record RequestRow(string Org, string Kind, string Role, string Name, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private RequestRow()
            : this(default!, default!, default!, default!, default!, default!)
        {
        }
    }

    private sealed record EmailChangeRow(string NewEmail, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private EmailChangeRow()
            : this(default!, default!, default!)
        {
        }
    }
}
