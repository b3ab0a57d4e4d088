using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Confirmations;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.ShiftMail;
using Shifts.Notifications.Reminders;

namespace Shifts.Notifications.Changes;

/// <summary>
/// Handles EventPostponed, EventRescheduled, EventCancelled, ShiftChanged and ShiftCancelled from the events service, on the queue notifications-change-notice-consumers.
/// <para>
/// Tells exactly the people a change affects (the message's AffectedVolunteerIds, as the events
/// service decided) that their event was postponed, rescheduled or cancelled, or their shift changed
/// or was cancelled — and moves or cancels their reminders to match.
/// </para>
/// <para>
/// A change overtaken by a later one (its revision is not above the shift's held in
/// <see cref="ShiftFacts"/>) changes nothing and is not told: the later one was, or will be.
/// </para>
/// </summary>
public sealed partial class ChangeNoticeConsumers(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration, ILogger<ChangeNoticeConsumers> logger)
    : IConsumer<EventPostponed>, IConsumer<EventRescheduled>, IConsumer<EventCancelled>, IConsumer<ShiftChanged>, IConsumer<ShiftCancelled>
{
    private const string Name = nameof(ChangeNoticeConsumers);

    private readonly AppLinks _links = AppLinks.From(configuration);

    public Task Consume(ConsumeContext<EventPostponed> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var now = time.GetUtcNow();
            if (await ClaimRecords.EventPostponedAsync(tx, m.EventId, m.Shifts, now, context.CancellationToken) is null)
            {
                return; // overtaken: the event was rescheduled since, and that was told
            }

            var claims = await ClaimRecords.OfEventAsync(tx, m.EventId, context.CancellationToken);
            var org = await Organisation.FindAsync(tx, m.Org, context.CancellationToken);
            await NotifyAsync(tx, context, m.AffectedVolunteerIds, m.Org, "event-postponed", now, recipient =>
            {
                var values = EventValues(m.Title, claims.GetValueOrDefault(recipient.Id), org, recipient);
                values["time"] = LocalTimes.Instant(m.StartsAt, org.TimeZone, recipient.Language);
                values["reason"] = Reason(m.Reason, recipient.Language);
                values["link"] = _links.Event(m.EventId);
                return values;
            });
        }, logger);
    }

    public Task Consume(ConsumeContext<EventRescheduled> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var now = time.GetUtcNow();
            if (await ClaimRecords.EventRescheduledAsync(tx, m.EventId, m.Title, m.NewStartsAt - m.OldStartsAt, m.Shifts, now, context.CancellationToken) is null)
            {
                return; // overtaken: the shifts' newer times are held and were told
            }

            var claims = await ClaimRecords.OfEventAsync(tx, m.EventId, context.CancellationToken);
            var org = await Organisation.FindAsync(tx, m.Org, context.CancellationToken);
            await NotifyAsync(tx, context, m.AffectedVolunteerIds, m.Org, "event-rescheduled", now, recipient =>
            {
                var claim = claims.GetValueOrDefault(recipient.Id);
                var values = EventValues(m.Title, claim, org, recipient);
                values["oldTime"] = LocalTimes.Span(m.OldStartsAt, m.OldEndsAt, org.TimeZone, recipient.Language);
                values["newTime"] = LocalTimes.Span(m.NewStartsAt, m.NewEndsAt, org.TimeZone, recipient.Language);
                values["yourShift"] = claim is null
                    ? MailBlock.Empty
                    : MailTemplates.Block("your-shift", recipient.Language, ShiftValues.For(claim.Shift, org, recipient.Language, _links));
                values["link"] = claim is null ? _links.Event(m.EventId) : _links.Shift(claim.Shift.ShiftId);
                return values;
            });
        }, logger);
    }

    public Task Consume(ConsumeContext<EventCancelled> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var now = time.GetUtcNow();
            await ClaimRecords.EventCancelledAsync(tx, m.EventId, m.Shifts, now, context.CancellationToken);
            var claims = await ClaimRecords.OfEventAsync(tx, m.EventId, context.CancellationToken);
            var org = await Organisation.FindAsync(tx, m.Org, context.CancellationToken);
            await NotifyAsync(tx, context, m.AffectedVolunteerIds, m.Org, "event-cancelled", now, recipient =>
            {
                var values = EventValues(m.Title, claims.GetValueOrDefault(recipient.Id), org, recipient);
                values["time"] = LocalTimes.Instant(m.StartsAt, org.TimeZone, recipient.Language);
                values["reason"] = Reason(m.Reason, recipient.Language);
                return values;
            });
        }, logger);
    }

    /// <summary>
    /// A shift's time, title or place changed (its own PATCH, or its event's new place or title):
    /// the mail says what changed — the old time and the new, the old place and the new — and
    /// carries the shift's .ics with the claim's UID and the shift's new revision as SEQUENCE, so a
    /// calendar that imported the confirmation moves its entry.
    /// </summary>
    public Task Consume(ConsumeContext<ShiftChanged> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var now = time.GetUtcNow();
            var before = (await ClaimRecords.OfEventAsync(tx, m.Shift.EventId, context.CancellationToken)).Values
                .FirstOrDefault(c => c.Shift.ShiftId == m.Shift.ShiftId)?.Shift;
            if (await ClaimRecords.ShiftChangedAsync(tx, m.Shift, now, context.CancellationToken) is not { } changed)
            {
                return; // overtaken: newer details of the shift are held, and were told
            }

            var claims = changed.GroupBy(c => c.VolunteerId).ToDictionary(g => g.Key, g => g.First().ClaimId);

            var newPlace = ShiftValues.Place(m.Shift.LocationName, m.Shift.LocationAddress);
            var oldPlace = m.OldLocationName is { } oldName ? ShiftValues.Place(oldName, m.OldLocationAddress)
                : before is null ? newPlace : ShiftValues.Place(before.LocationName, before.LocationAddress);
            var timeMoved = m.OldStartsAt != m.Shift.StartsAt || m.OldEndsAt != m.Shift.EndsAt;
            var placeMoved = oldPlace != newPlace;

            // Capacity and minimum are the coordinators' business: helpers hear of what they see.
            var seen = timeMoved || placeMoved || before is null
                || before.ShiftTitle != m.Shift.ShiftTitle || before.EventTitle != m.Shift.EventTitle;
            if (!seen)
            {
                return;
            }

            var org = await Organisation.FindAsync(tx, m.Shift.Org, context.CancellationToken);
            await NotifyAsync(tx, context, m.AffectedVolunteerIds, m.Shift.Org, "shift-changed", now, recipient =>
            {
                var values = ShiftValues.For(m.Shift, org, recipient, _links);
                values["oldTime"] = LocalTimes.Span(m.OldStartsAt, m.OldEndsAt, org.TimeZone, recipient.Language);
                values["oldPlace"] = oldPlace;
                // A change of neither time nor place is a new title: said with the time as it was and is.
                values["when"] = MailTemplates.Block(timeMoved || !placeMoved ? "changed-time" : "unchanged-time", recipient.Language, values);
                values["where"] = MailTemplates.Block(placeMoved ? "changed-place" : "unchanged-place", recipient.Language, values);
                return values;
            }, recipient => claims.TryGetValue(recipient.Id, out var claimId)
                ? [CalendarAttachment.For(claimId, m.Shift, _links.Shift(m.Shift.ShiftId), now)]
                : []);
        }, logger);
    }

    public Task Consume(ConsumeContext<ShiftCancelled> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, Name, async tx =>
        {
            var now = time.GetUtcNow();
            await ClaimRecords.ShiftCancelledAsync(tx, m.Shift, now, context.CancellationToken);
            var org = await Organisation.FindAsync(tx, m.Shift.Org, context.CancellationToken);
            await NotifyAsync(tx, context, m.AffectedVolunteerIds, m.Shift.Org, "shift-cancelled", now,
                recipient => ShiftValues.For(m.Shift, org, recipient, _links));
        }, logger);
    }

    /// <summary>One mail of <paramref name="kind"/> to each affected person this service knows; the erased and the unknown are skipped.</summary>
    private async Task NotifyAsync<T>(NpgsqlTransaction tx, ConsumeContext<T> context, IReadOnlyList<Guid> affected, string org, string kind,
        DateTimeOffset now, Func<Recipient, Dictionary<string, object>> values, Func<Recipient, IReadOnlyList<MailAttachment>>? attachments = null) where T : class
    {
        var ids = affected.Distinct().ToList();
        var recipients = await Recipient.FindManyAsync(tx, ids, context.CancellationToken);
        foreach (var id in ids)
        {
            if (!recipients.TryGetValue(id, out var recipient))
            {
                if (!await Recipient.IsErasedAsync(tx, id, context.CancellationToken))
                {
                    LogUnknown(logger, id, typeof(T).Name);
                }

                continue;
            }

            var mail = MailTemplates.Render(kind, recipient.Language, values(recipient));
            await Deliveries.EnqueueAsync(tx, new OutgoingMail($"{context.MessageId:N}:{recipient.Id:N}:{kind}", kind,
                recipient.Id, recipient.Email, recipient.Language, mail.Subject, mail.Text, mail.Html)
            {
                Org = org,
                Attachments = attachments?.Invoke(recipient) ?? [],
            }, now, context.CancellationToken);
        }
    }

    /// <summary>Values of a notice about a whole event: the person's own shift, where known, supplies the place.</summary>
    private Dictionary<string, object> EventValues(string title, ClaimRecord? claim, Organisation org, Recipient recipient) => new(StringComparer.Ordinal)
    {
        ["name"] = recipient.Name,
        ["org"] = org.Name,
        ["event"] = title,
        ["place"] = claim is null ? "—" : ShiftValues.Place(claim.Shift.LocationName, claim.Shift.LocationAddress),
        ["openShiftsLink"] = _links.OpenShifts(org.Slug),
    };

    private static MailBlock Reason(string? reason, string language) =>
        string.IsNullOrWhiteSpace(reason)
            ? MailBlock.Empty
            : MailTemplates.Block("reason-line", language, new Dictionary<string, object> { ["reason"] = reason.Trim() });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Volunteer {VolunteerId} affected by {MessageType} is not known here; not told")]
    private static partial void LogUnknown(ILogger logger, Guid volunteerId, string messageType);
}
