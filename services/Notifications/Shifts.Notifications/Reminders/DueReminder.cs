namespace Shifts.Notifications.Reminders;

/// <summary>A pending reminder whose time has come: the claim and the lead time it was planned for.</summary>
public sealed record DueReminder(Guid Claim, TimeSpan Lead)
{
    /// <summary>
    /// What becomes of this reminder without a mail, or null when its mail is to be written. Two
    /// reminders of one claim due at once (the service was down, or quiet hours moved both): the
    /// person hears once, from the one closest to the start. A claim that no longer stands, or a
    /// person no longer known, cancels it; a shift that has begun makes it pointless.
    /// </summary>
    public string? OutcomeWithoutMail(IReadOnlyCollection<DueReminder> batch, ClaimRecord? claim, bool recipientKnown, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Any(other => other.Claim == Claim && other.Lead < Lead) ? ReminderStatus.Skipped
            : claim is not { Status: ClaimStatus.Active } ? ReminderStatus.Cancelled
            : claim.Shift.StartsAt <= now ? ReminderStatus.Skipped
            : !recipientKnown ? ReminderStatus.Cancelled
            : null;
    }
}
