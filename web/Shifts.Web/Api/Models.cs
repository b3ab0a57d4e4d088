namespace Shifts.Web.Api;

// The API's shapes the web app reads, as records (camelCase JSON, ISO instants and durations).
// Features add theirs beside their calls.

public sealed record TokenPair(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

public sealed record Me(Guid Id, string Name, string Email, string? Phone, string Locale, IReadOnlyList<Membership> Memberships, NotificationPreferences NotificationPreferences);

public sealed record Membership(string Org, string Role)
{
    public bool IsCoordinator => Role is "coordinator" or "admin";
}

public sealed record NotificationPreferences(bool Email, IReadOnlyList<TimeSpan> ReminderLeadTimes, QuietHours? QuietHours);

public sealed record QuietHours(string From, string To);

public sealed record Organisation(string Slug, string Name, string TimeZone, TimeSpan CancellationDeadline);

/// <summary>A keyset page, as every list of the API answers.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
