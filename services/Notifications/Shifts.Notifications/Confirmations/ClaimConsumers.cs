using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.ShiftMail;
using Shifts.Notifications.Reminders;

namespace Shifts.Notifications.Confirmations;

/// <summary>
/// Handles ShiftClaimed, WaitlistPromoted and ClaimCancelled from the events service, on the queue notifications-claim-consumers.
/// <para>
/// A claim confirmed (or won from the waitlist) gets a confirmation with an .ics and its reminders
/// scheduled (a place a coordinator assigned says who did); a claim cancelled gets its reminders cancelled and the person told why. One consumer
/// for the three, so their queue is shared; the claims table settles any order they arrive in, and
/// the shift facts (Reminders/ShiftFacts.cs) any order against the change notices of the shift.
/// </para>
/// </summary>
public sealed class ClaimConsumers(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration, ILogger<ClaimConsumers> logger)
    : IConsumer<ShiftClaimed>, IConsumer<WaitlistPromoted>, IConsumer<ClaimCancelled>
{
    private readonly AppLinks _links = AppLinks.From(configuration);

    /// <summary>
    /// A claim of one's own is confirmed as such; a place a coordinator gave (AssignedBy, not the
    /// person themselves) is confirmed saying who did it, with the same .ics and reminders.
    /// </summary>
    public Task Consume(ConsumeContext<ShiftClaimed> context)
    {
        var m = context.Message;
        return m.AssignedBy is { } by && by != m.VolunteerId
            ? ConfirmAsync(context, m.ClaimId, m.VolunteerId, m.Shift, MailKind.ClaimAssigned, by)
            : ConfirmAsync(context, m.ClaimId, m.VolunteerId, m.Shift, MailKind.ClaimConfirmed);
    }

    public Task Consume(ConsumeContext<WaitlistPromoted> context) =>
        ConfirmAsync(context, context.Message.ClaimId, context.Message.VolunteerId, context.Message.Shift, MailKind.WaitlistPromoted);

    public Task Consume(ConsumeContext<ClaimCancelled> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, nameof(ClaimConsumers), async tx =>
        {
            if (m.Reason == "erased")
            {
                // GDPR erasure released the place: the person is gone, their coordinators are told.
                await TellCoordinatorsAsync(context, tx, m.Shift);
                return;
            }

            if (await Recipient.IsErasedAsync(tx, m.VolunteerId, context.CancellationToken))
            {
                return;
            }

            var now = time.GetUtcNow();
            await ClaimRecords.CancelAsync(tx, m.ClaimId, m.VolunteerId, m.Shift, now, context.CancellationToken);

            // A cancelled event or shift is told by its own notice (one mail, not two); an erased
            // person is told nothing.
            var reason = m.Reason switch
            {
                "self" => "self",
                "coordinator" or "late" => "coordinator",
                "reschedule-conflict" => "reschedule-conflict",
                "event-cancelled" or "shift-cancelled" or "erased" => null,
                _ => "other",
            };
            if (reason is null || await Recipient.RequireAsync(tx, m.VolunteerId, context.CancellationToken) is not { } recipient)
            {
                return;
            }

            var org = await Organisation.FindAsync(tx, m.Shift.Org, context.CancellationToken);
            var values = ShiftValues.For(m.Shift, org, recipient, _links);
            values["reason"] = MailTemplates.Block($"cancel-reason-{reason}", recipient.Language, values);
            var mail = MailTemplates.Render(MailKind.ClaimCancelled, recipient.Language, values);
            await Deliveries.EnqueueAsync(tx, new OutgoingMail($"{context.MessageId:N}:{recipient.Id:N}:{MailKind.ClaimCancelled}", MailKind.ClaimCancelled,
                recipient.Id, recipient.Email, recipient.Language, mail.Subject, mail.Text, mail.Html) { Org = m.Shift.Org }, now, context.CancellationToken);
        }, logger);
    }

    private async Task TellCoordinatorsAsync(ConsumeContext<ClaimCancelled> context, NpgsqlTransaction tx, ShiftDetails shift)
    {
        var coordinators = await Recipient.CoordinatorIdsAsync(tx, shift.Org, context.CancellationToken);

        var org = await Organisation.FindAsync(tx, shift.Org, context.CancellationToken);
        var now = time.GetUtcNow();
        foreach (var coordinator in (await Recipient.FindManyAsync(tx, coordinators, context.CancellationToken)).Values)
        {
            var mail = MailTemplates.Render(MailKind.PlaceFreed, coordinator.Language, ShiftValues.For(shift, org, coordinator, _links));
            await Deliveries.EnqueueAsync(tx, new OutgoingMail($"{context.MessageId:N}:{coordinator.Id:N}:{MailKind.PlaceFreed}", MailKind.PlaceFreed,
                coordinator.Id, coordinator.Email, coordinator.Language, mail.Subject, mail.Text, mail.Html) { Org = shift.Org }, now, context.CancellationToken);
        }
    }

    /// <summary>
    /// The confirmation names the newest details known of the shift: a ShiftChanged processed
    /// before this message (the queues are separate, so it can overtake) has moved the claim
    /// already, and the mail and its .ics say the new time, with the newer revision as SEQUENCE.
    /// </summary>
    private Task ConfirmAsync<T>(ConsumeContext<T> context, Guid claimId, Guid volunteerId, ShiftDetails message, string kind, Guid? assignedBy = null) where T : class =>
        db.ConsumeOnceAsync(context, nameof(ClaimConsumers), async tx =>
        {
            var now = time.GetUtcNow();
            // Erased: nothing is remembered about them, and nothing is sent.
            if (await Recipient.RequireAsync(tx, volunteerId, context.CancellationToken) is not { } recipient
                || await ClaimRecords.RecordAsync(tx, claimId, volunteerId, message, now, context.CancellationToken) is not { } claim)
            {
                return;
            }

            var shift = claim.Shift;

            var org = await Organisation.FindAsync(tx, shift.Org, context.CancellationToken);
            var values = ShiftValues.For(shift, org, recipient, _links);
            if (assignedBy is { } by)
            {
                values["assignedBy"] = await AssignedByAsync(tx, by, recipient.Language, values, context.CancellationToken);
            }

            var mail = MailTemplates.Render(kind, recipient.Language, values);
            await Deliveries.EnqueueAsync(tx, new OutgoingMail($"{context.MessageId:N}:{recipient.Id:N}:{kind}", kind,
                recipient.Id, recipient.Email, recipient.Language, mail.Subject, mail.Text, mail.Html)
            {
                Org = shift.Org,
                Attachments = [CalendarAttachment.For(claimId, shift, _links.Shift(shift.ShiftId), now)],
            }, now, context.CancellationToken);
        }, logger);

    /// <summary>
    /// "Carla put you on this shift": the coordinator's name from the recipients replica; one this
    /// service does not know (yet, or no longer: erased) is neutral: "a coordinator of {org}".
    /// </summary>
    private static async Task<MailBlock> AssignedByAsync(NpgsqlTransaction tx, Guid coordinatorId, string language, Dictionary<string, object> values, CancellationToken cancellationToken)
    {
        if (await Recipient.FindAsync(tx, coordinatorId, cancellationToken) is not { } coordinator)
        {
            return MailTemplates.Block("assigned-by-coordination", language, values);
        }

        return MailTemplates.Block("assigned-by-person", language, new Dictionary<string, object>(values, StringComparer.Ordinal) { ["assignedByName"] = coordinator.Name });
    }
}
