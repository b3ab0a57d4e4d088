using System.Text.RegularExpressions;
using Npgsql;
using Shifts.ServiceDefaults.Auth;
using Shifts.ServiceDefaults.Problems;

namespace Shifts.Volunteers.Organisations;

/// <summary>An organisation as stored. The slug names it in URLs, tokens ("org:role") and every replica, so it never changes.</summary>
public sealed record Organisation(Guid Id, string Slug, string Name, string TimeZone, TimeSpan CancellationDeadline, TimeSpan[] GapAlertLeadTimes)
{
    public static readonly TimeSpan DefaultCancellationDeadline = TimeSpan.FromHours(24);
    public static readonly TimeSpan[] DefaultGapAlertLeadTimes = [TimeSpan.FromHours(48), TimeSpan.FromHours(24)];

    private const string Columns = "id, slug, name, time_zone, cancellation_deadline, gap_alert_lead_times";

    public static async Task<Organisation?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string slug, CancellationToken cancellationToken, bool forUpdate = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!OrganisationRules.IsSlug(slug))
        {
            return null; // not one of ours, and not worth a query
        }

        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM organisations WHERE slug = @slug{(forUpdate ? " FOR UPDATE" : "")}", connection, tx);
        command.Parameters.AddWithValue("slug", slug);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public static Task<Organisation?> FindAsync(NpgsqlTransaction tx, string slug, CancellationToken cancellationToken, bool forUpdate = false)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return FindAsync(tx.Connection!, tx, slug, cancellationToken, forUpdate);
    }

    private static Organisation Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        reader.GetFieldValue<TimeSpan>(4), reader.GetFieldValue<TimeSpan[]>(5));
}

/// <summary>Who may manage an organisation.</summary>
public static class OrganisationAccess
{
    /// <summary>
    /// The organisation's admins; and the platform admin, who creates an organisation before it
    /// has any member and so appoints its first admin (and steps in when the last one is gone).
    /// Contact details still need a role in the organisation itself.
    /// </summary>
    public static bool MayAdminister(this Caller caller, string org)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Has(org, OrgRole.Admin) || caller.IsPlatformAdmin;
    }
}

/// <summary>What an organisation's settings must look like (API.md; the database checks the same).</summary>
public static partial class OrganisationRules
{
    public static readonly TimeSpan MaxCancellationDeadline = TimeSpan.FromDays(30);
    public static readonly TimeSpan MinGapAlertLeadTime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxGapAlertLeadTime = TimeSpan.FromDays(30);
    public const int MaxGapAlertLeadTimes = 5;

    public static bool IsSlug(string? value) => value is { Length: >= 1 and <= 60 } && Kebab().IsMatch(value);

    public static void Slug(ValidationErrors errors, string? slug)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(slug))
        {
            errors.Add("slug", "'slug' is required.");
        }
        else if (!IsSlug(slug))
        {
            errors.Add("slug", "'slug' must be 1 to 60 lower-case letters, digits and single hyphens, e.g. kv-mitte-ost.");
        }
    }

    /// <summary>An IANA time zone the server knows ("Europe/Berlin"); Windows names are refused.</summary>
    public static void TimeZone(ValidationErrors errors, string? timeZone, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (timeZone is null)
        {
            if (required)
            {
                errors.Add("timeZone", "'timeZone' is required, e.g. Europe/Berlin.");
            }
        }
        else if (timeZone.Length is 0 or > 64
                 || timeZone.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+'))
                 || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) || !zone.HasIanaId || zone.Id != timeZone)
        {
            errors.Add("timeZone", "'timeZone' must be an IANA time zone such as Europe/Berlin.");
        }
    }

    public static void CancellationDeadline(ValidationErrors errors, TimeSpan? deadline)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (deadline is { } value && (value < TimeSpan.Zero || value > MaxCancellationDeadline))
        {
            errors.Add("cancellationDeadline", "'cancellationDeadline' must be between PT0S and P30D.");
        }
    }

    public static void GapAlertLeadTimes(ValidationErrors errors, TimeSpan[]? leadTimes)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (leadTimes is null)
        {
            return;
        }

        if (leadTimes.Length > MaxGapAlertLeadTimes)
        {
            errors.Add("gapAlertLeadTimes", $"'gapAlertLeadTimes' may hold at most {MaxGapAlertLeadTimes} durations.");
        }

        if (leadTimes.Any(t => t < MinGapAlertLeadTime || t > MaxGapAlertLeadTime))
        {
            errors.Add("gapAlertLeadTimes", "Each gap alert lead time must be between PT1H and P30D.");
        }

        if (leadTimes.Distinct().Count() != leadTimes.Length)
        {
            errors.Add("gapAlertLeadTimes", "'gapAlertLeadTimes' must not repeat a duration.");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    internal static partial Regex Kebab();
}
