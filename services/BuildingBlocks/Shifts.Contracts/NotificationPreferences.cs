namespace Shifts.Contracts;

/// <summary>How a person wants to be told: reminders by email or not, how long before a shift, and hours to keep quiet (local time, "22:00").</summary>
public sealed record NotificationPreferences(bool EmailReminders, IReadOnlyList<TimeSpan> ReminderLeadTimes, string? QuietHoursFrom, string? QuietHoursTo);
