using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NpgsqlTypes;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Database;
using Shifts.ServiceDefaults.OpenApi;
using Shifts.ServiceDefaults.Problems;
using Problem = Shifts.ServiceDefaults.Problems.Problem;

namespace Shifts.Volunteers.Profile;

public sealed record MeView(Guid Id, string Name, string Email, string? Phone, string Locale, IReadOnlyList<MyMembership> Memberships, PreferencesView NotificationPreferences);

public sealed record MyMembership(string Org, string Role)
{
    /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
    private MyMembership()
        : this(default!, default!)
    {
    }
}

public sealed record PreferencesView(bool Email, IReadOnlyList<TimeSpan> ReminderLeadTimes, QuietHoursView? QuietHours);

public sealed record QuietHoursView(string From, string To);

/// <summary>
/// A change to the caller's profile: absent fields stay as they are. <c>phone</c> and
/// <c>notificationPreferences.quietHours</c> may be set to null to remove them, which is why they
/// are read as raw JSON (absent and null must differ). The address is not changed here: a new
/// address is confirmed from itself first (POST /api/me/email, EmailChangeEndpoints).
/// </summary>
public sealed record MePatch(string? Name, JsonElement Phone, string? Locale, PreferencesPatch? NotificationPreferences);

public sealed record PreferencesPatch(bool? Email, TimeSpan[]? ReminderLeadTimes, JsonElement QuietHours);

/// <summary>The signed-in person's own profile and notification preferences (GET, PATCH /api/me).</summary>
public static class ProfileEndpoints
{
    public static IEndpointRouteBuilder MapProfile(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").RequireAuthorization(ShiftsAuthentication.SignedIn).WithTags("Profile");
        me.MapGet("/", GetMe)
            .WithSummary("Read the caller's profile, memberships and notification preferences")
            .ProducesProblems(StatusCodes.Status404NotFound);
        me.MapPatch("/", PatchMe)
            .WithSummary("Change the caller's name, phone, language or notification preferences")
            .ProducesProblems(StatusCodes.Status400BadRequest)
            .ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<MeView>, ProblemHttpResult>> GetMe(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var me = await LoadAsync(connection, null, caller.RequiredId, forUpdate: false, cancellationToken);
        return me is null ? NotFound() : TypedResults.Ok(me);
    }

    private static async Task<Results<Ok<MeView>, ProblemHttpResult>> PatchMe(
        MePatch patch, Caller caller, Transactions transactions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (patch.Name is not null)
        {
            errors.PlainText("name", patch.Name, 200);
        }

        ProfileRules.Locale(errors, patch.Locale);
        var phone = ReadPhone(errors, patch.Phone);
        var preferences = patch.NotificationPreferences;
        if (preferences?.ReminderLeadTimes is { } leadTimes)
        {
            ProfileRules.LeadTimes(errors, "notificationPreferences.reminderLeadTimes", leadTimes);
        }

        var quietHours = ReadQuietHours(errors, preferences?.QuietHours ?? default);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await transactions.RunAsync<Results<Ok<MeView>, ProblemHttpResult>>(async (tx, ct) =>
        {
            var current = await LoadAsync(tx.Connection!, tx, caller.RequiredId, forUpdate: true, ct);
            if (current is null)
            {
                return NotFound();
            }

            var currentPreferences = current.NotificationPreferences;
            var changed = current with
            {
                Name = patch.Name?.Trim() ?? current.Name,
                Phone = phone.Given ? phone.Value : current.Phone,
                Locale = patch.Locale ?? current.Locale,
                NotificationPreferences = new PreferencesView(
                    preferences?.Email ?? currentPreferences.Email,
                    preferences?.ReminderLeadTimes is { } leads ? [.. leads.OrderDescending()] : currentPreferences.ReminderLeadTimes,
                    quietHours.Given ? quietHours.Value : currentPreferences.QuietHours),
            };
            if (!Differs(current, changed))
            {
                return TypedResults.Ok(current);
            }

            await SaveAsync(tx, changed, ct);
            var saved = changed.NotificationPreferences;
            await Outbox.EnqueueAsync(tx, new VolunteerProfileChanged(changed.Id, changed.Name, changed.Email, changed.Locale,
                new NotificationPreferences(saved.Email, saved.ReminderLeadTimes, saved.QuietHours?.From, saved.QuietHours?.To)), ct);
            return TypedResults.Ok(changed);
        }, cancellationToken);
    }

    private static ProblemHttpResult NotFound() => Problem.NotFound("There is no profile for this login any more.");

    private static bool Differs(MeView a, MeView b) =>
        a.Name != b.Name || a.Phone != b.Phone || a.Locale != b.Locale
        || a.NotificationPreferences.Email != b.NotificationPreferences.Email
        || !a.NotificationPreferences.ReminderLeadTimes.SequenceEqual(b.NotificationPreferences.ReminderLeadTimes)
        || a.NotificationPreferences.QuietHours != b.NotificationPreferences.QuietHours;

    /// <summary>Absent: unchanged; null or blank: removed; a string: the new number.</summary>
    private static (bool Given, string? Value) ReadPhone(ValidationErrors errors, JsonElement phone)
    {
        switch (phone.ValueKind)
        {
            case JsonValueKind.Undefined:
                return (false, null);
            case JsonValueKind.Null:
                return (true, null);
            case JsonValueKind.String:
                var text = phone.GetString()!.Trim();
                if (text.Length == 0)
                {
                    return (true, null);
                }

                ProfileRules.Phone(errors, "phone", text);
                return (true, text);
            default:
                errors.Add("phone", "'phone' must be a string or null.");
                return (false, null);
        }
    }

    /// <summary>Absent: unchanged; null: no quiet hours; otherwise {from: "22:00", to: "08:00"} (a window may span midnight).</summary>
    private static (bool Given, QuietHoursView? Value) ReadQuietHours(ValidationErrors errors, JsonElement quietHours)
    {
        const string field = "notificationPreferences.quietHours";
        switch (quietHours.ValueKind)
        {
            case JsonValueKind.Undefined:
                return (false, null);
            case JsonValueKind.Null:
                return (true, null);
            case JsonValueKind.Object:
                var from = quietHours.TryGetProperty("from", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                var to = quietHours.TryGetProperty("to", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (!ProfileRules.TryParseClock(from, out var fromTime))
                {
                    errors.Add($"{field}.from", "'from' must be a local time HH:mm, e.g. 22:00.");
                }

                if (!ProfileRules.TryParseClock(to, out var toTime))
                {
                    errors.Add($"{field}.to", "'to' must be a local time HH:mm, e.g. 08:00.");
                }
                else if (fromTime == toTime && from is not null)
                {
                    errors.Add(field, "Quiet hours must not start and end at the same time.");
                }

                return (true, new QuietHoursView(ProfileRules.Clock(fromTime), ProfileRules.Clock(toTime)));
            default:
                errors.Add(field, "'quietHours' must be an object {from, to} or null.");
                return (false, null);
        }
    }

    internal static async Task<MeView?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid id, bool forUpdate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var sql = $"""
            SELECT id, name, email, phone, locale, email_reminders, reminder_lead_times, quiet_hours_from, quiet_hours_to
            FROM volunteers WHERE id = @id {(forUpdate ? "FOR UPDATE" : "")};
            SELECT o.slug AS org, m.role FROM memberships m JOIN organisations o ON o.id = m.org_id
            WHERE m.volunteer_id = @id ORDER BY o.slug;
            """;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id }, tx, cancellationToken: cancellationToken));
        var person = await results.ReadSingleOrDefaultAsync<PersonRow>();
        if (person is null)
        {
            return null;
        }

        var memberships = (await results.ReadAsync<MyMembership>()).ToList();
        var quiet = person.QuietHoursFrom is { } from
            ? new QuietHoursView(ProfileRules.Clock(from), ProfileRules.Clock(person.QuietHoursTo!.Value))
            : null;
        return new MeView(person.Id, person.Name, person.Email, person.Phone, person.Locale, memberships,
            new PreferencesView(person.EmailReminders, person.ReminderLeadTimes, quiet));
    }

    private sealed record PersonRow(Guid Id, string Name, string Email, string? Phone, string Locale, bool EmailReminders, TimeSpan[] ReminderLeadTimes, TimeOnly? QuietHoursFrom, TimeOnly? QuietHoursTo)
    {
        /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
        private PersonRow()
            : this(default!, default!, default!, default!, default!, default!, default!, default!, default!)
        {
        }
    }

    /// <summary>Raw Npgsql here: the quiet hours are <c>time</c> columns, typed explicitly (Dapper would send a TimeSpan as an interval).</summary>
    private static async Task SaveAsync(NpgsqlTransaction tx, MeView me, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE volunteers SET name = @name, phone = @phone, locale = @locale, email_reminders = @email,
                reminder_lead_times = @leads, quiet_hours_from = @from, quiet_hours_to = @to, updated_at = now()
            WHERE id = @id
            """;
        var quiet = me.NotificationPreferences.QuietHours;
        await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
        command.Parameters.AddWithValue("id", me.Id);
        command.Parameters.AddWithValue("name", me.Name);
        command.Parameters.AddWithValue("phone", NpgsqlDbType.Text, (object?)me.Phone ?? DBNull.Value);
        command.Parameters.AddWithValue("locale", me.Locale);
        command.Parameters.AddWithValue("email", me.NotificationPreferences.Email);
        command.Parameters.AddWithValue("leads", me.NotificationPreferences.ReminderLeadTimes.ToArray());
        command.Parameters.AddWithValue("from", NpgsqlDbType.Time, quiet is null ? DBNull.Value : TimeOnly.ParseExact(quiet.From, "HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("to", NpgsqlDbType.Time, quiet is null ? DBNull.Value : TimeOnly.ParseExact(quiet.To, "HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
