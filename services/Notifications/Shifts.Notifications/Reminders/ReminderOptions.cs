namespace Shifts.Notifications.Reminders;

/// <summary>How the reminder schedule is worked (section <c>Reminders</c>), checked at start.</summary>
public sealed class ReminderOptions
{
    /// <summary>What <see cref="IsValid"/> demands, naming the settings.</summary>
    public const string Rule = "Reminders:PollInterval must be more than zero and at most an hour, Reminders:BatchSize 1 to 10000, and Reminders:KeepEndedClaims more than zero.";

    /// <summary>How often the schedule is looked at; a reminder goes out at most this late.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int BatchSize { get; set; } = 100;

    /// <summary>Claims this long past their shift's end are forgotten (nothing is left to remind of).</summary>
    public TimeSpan KeepEndedClaims { get; set; } = TimeSpan.FromDays(30);

    public static bool IsValid(ReminderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PollInterval > TimeSpan.Zero && options.PollInterval <= TimeSpan.FromHours(1)
               && options.BatchSize is >= 1 and <= 10_000
               && options.KeepEndedClaims > TimeSpan.Zero;
    }
}
