using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Volunteers.Privacy;

/// <summary>
/// GDPR for the person themselves: <c>GET /api/me/export</c> (art. 15: everything every service
/// holds, as one JSON document) and <c>DELETE /api/me</c> (art. 17: erased everywhere within a
/// minute). The other services' parts are asked for over the bus (request/response), never read
/// from their databases; erasure is one integration event each service acts on.
/// </summary>
public static class PrivacyApi
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me/export", Export).RequireAuthorization(ShiftsAuthentication.SignedIn);
        app.MapDelete("/api/me", Erase).RequireAuthorization(ShiftsAuthentication.SignedIn);
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
            return Problem.Create(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "The export is briefly unavailable.",
                "Not every service answered in time; please try again in a minute.");
        }

        return TypedResults.Ok(new JsonObject
        {
            ["exportedAt"] = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
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
            await using var command = new NpgsqlCommand(erase, tx.Connection, tx);
            command.Parameters.AddWithValue("id", id);
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

        // Memberships, qualifications, login links, sessions (refresh tokens) and a pending address
        // change go with the row (ON DELETE CASCADE): no refresh works after this, and every service
        // refuses the person's access tokens once VolunteerErased reaches it. Requests to join that
        // name the address go too; invitations the person sent lose their name.
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<JsonObject?> OwnDataAsync(NpgsqlDataSource db, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using (var person = new NpgsqlCommand("""
            SELECT id, name, email, phone, locale, created_at, email_reminders, reminder_lead_times, quiet_hours_from, quiet_hours_to
            FROM volunteers WHERE id = @id
            """, connection))
        {
            person.Parameters.AddWithValue("id", id);
            await using var reader = await person.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            var document = new JsonObject
            {
                ["id"] = reader.GetGuid(0),
                ["name"] = reader.GetString(1),
                ["email"] = reader.GetString(2),
                ["phone"] = reader.IsDBNull(3) ? null : reader.GetString(3),
                ["locale"] = reader.GetString(4),
                ["registeredAt"] = reader.GetFieldValue<DateTimeOffset>(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["notificationPreferences"] = new JsonObject
                {
                    ["email"] = reader.GetBoolean(6),
                    ["reminderLeadTimes"] = new JsonArray(reader.GetFieldValue<TimeSpan[]>(7).Select(t => (JsonNode?)Shifts.ServiceDefaults.Json.IsoDurationConverter.Format(t)).ToArray()),
                    ["quietHours"] = reader.IsDBNull(8) ? null : new JsonObject
                    {
                        ["from"] = reader.GetFieldValue<TimeOnly>(8).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                        ["to"] = reader.IsDBNull(9) ? null : reader.GetFieldValue<TimeOnly>(9).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    },
                },
            };
            await reader.DisposeAsync();
            document["memberships"] = await RowsAsync(connection, """
                SELECT o.slug, m.role, m.created_at FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.volunteer_id = @id ORDER BY o.slug
                """, id, r => new JsonObject { ["org"] = r.GetString(0), ["role"] = r.GetString(1), ["since"] = r.GetFieldValue<DateTimeOffset>(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture) }, ct);
            document["qualifications"] = await RowsAsync(connection, """
                SELECT o.slug, q.code, q.granted_at FROM member_qualifications q JOIN organisations o ON o.id = q.org_id WHERE q.volunteer_id = @id ORDER BY o.slug, q.code
                """, id, r => new JsonObject { ["org"] = r.GetString(0), ["code"] = r.GetString(1), ["grantedAt"] = r.GetFieldValue<DateTimeOffset>(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture) }, ct);
            document["loginLinks"] = await RowsAsync(connection, """
                SELECT created_at, expires_at, used_at FROM login_links WHERE volunteer_id = @id ORDER BY created_at
                """, id, r => new JsonObject
            {
                ["requestedAt"] = r.GetFieldValue<DateTimeOffset>(0).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["expiresAt"] = r.GetFieldValue<DateTimeOffset>(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["usedAt"] = r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            }, ct);
            // Sessions: when each login was, until when it may run, when it was last refreshed or ended. Never the tokens.
            document["sessions"] = await RowsAsync(connection, """
                SELECT f.created_at, f.expires_at, f.revoked_at, (SELECT max(t.created_at) FROM refresh_tokens t WHERE t.family_id = f.id)
                FROM refresh_families f WHERE f.volunteer_id = @id ORDER BY f.created_at
                """, id, r => new JsonObject
            {
                ["loggedInAt"] = r.GetFieldValue<DateTimeOffset>(0).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["endsAt"] = r.GetFieldValue<DateTimeOffset>(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["revokedAt"] = r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["lastRefreshedAt"] = r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            }, ct);
            document["contactDetailReads"] = await RowsAsync(connection, """
                SELECT o.slug, l.action, l.member_count, l.accessed_at FROM contact_access_log l JOIN organisations o ON o.id = l.org_id
                WHERE l.accessor_id = @id ORDER BY l.accessed_at
                """, id, r => new JsonObject { ["org"] = r.GetString(0), ["action"] = r.GetString(1), ["members"] = r.GetInt32(2), ["at"] = r.GetFieldValue<DateTimeOffset>(3).ToString("O", System.Globalization.CultureInfo.InvariantCulture) }, ct);
            // Pending requests to join an organisation with this address, and a pending change of address.
            document["membershipRequests"] = await RowsAsync(connection, """
                SELECT o.slug, r.kind, r.role, r.name, r.created_at, r.expires_at FROM membership_requests r JOIN organisations o ON o.id = r.org_id
                WHERE lower(r.email) = (SELECT lower(email) FROM volunteers WHERE id = @id) ORDER BY r.created_at
                """, id, r => new JsonObject
            {
                ["org"] = r.GetString(0),
                ["kind"] = r.GetString(1),
                ["role"] = r.GetString(2),
                ["nameAsGiven"] = r.GetString(3),
                ["requestedAt"] = r.GetFieldValue<DateTimeOffset>(4).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["expiresAt"] = r.GetFieldValue<DateTimeOffset>(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            }, ct);
            document["emailChanges"] = await RowsAsync(connection, """
                SELECT new_email, created_at, expires_at FROM email_changes WHERE volunteer_id = @id
                """, id, r => new JsonObject
            {
                ["newEmail"] = r.GetString(0),
                ["requestedAt"] = r.GetFieldValue<DateTimeOffset>(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["expiresAt"] = r.GetFieldValue<DateTimeOffset>(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            }, ct);
            return document;
        }
    }

    private static async Task<JsonArray> RowsAsync(NpgsqlConnection connection, string sql, Guid id, Func<NpgsqlDataReader, JsonNode> map, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new JsonArray();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
