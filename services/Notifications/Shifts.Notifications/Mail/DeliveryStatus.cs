namespace Shifts.Notifications.Mail;

/// <summary>The states of a row in <c>deliveries</c>, as stored (readers see <see cref="Sending"/> as <see cref="Pending"/>).</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting for a dispatcher, due at next_attempt_at.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a dispatcher that is sending it now (send_started_at: its end-of-data mark).</summary>
    public const string Sending = "sending";

    public const string Sent = "sent";

    /// <summary>Refused for good, out of attempts, or interrupted after its end of data; last_error says which.</summary>
    public const string Failed = "failed";

    /// <summary>Recorded but never to be sent: the person did not want it, was erased, or its link expired.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>What a reader of the delivery log or an export sees: 'sending' is a moment inside the dispatcher, still pending.</summary>
    public static string Public(string status) => status == Sending ? Pending : status;
}

/// <summary>What a delivery is (the <c>kind</c> column, shown in the delivery log); most are also the template's name.</summary>
public static class MailKind
{
    public const string ClaimConfirmed = "claim-confirmed";
    public const string WaitlistPromoted = "waitlist-promoted";
    public const string ClaimCancelled = "claim-cancelled";
    /// <summary>A coordinator put the person on the shift (ShiftClaimed with AssignedBy): the confirmation says so.</summary>
    public const string ClaimAssigned = "claim-assigned";
    public const string ShiftInvitation = "shift-invitation";
    public const string EventMessage = "event-message";
    public const string PlaceFreed = "place-freed";
    public const string GapAlert = "gap-alert";
    public const string Reminder = "reminder";
    public const string Welcome = "welcome";
    public const string LoginLink = "login-link";
    public const string EmailChangeConfirm = "email-change-confirm";
    public const string EmailChanged = "email-changed";
    public const string MembershipConfirm = "membership-confirm";
    public const string AlreadyMember = "already-member";
    public const string MembershipRemoved = "membership-removed";
    public const string MembershipLeft = "membership-left";
}
