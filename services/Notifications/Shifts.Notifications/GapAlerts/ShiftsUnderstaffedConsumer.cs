using System.Globalization;
using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.ShiftMail;

namespace Shifts.Notifications.GapAlerts;

/// <summary>
/// Handles ShiftsUnderstaffed from the events service, on the queue notifications-shifts-understaffed.
/// <para>
/// Gaps are the events service's to find (docs/architecture.md): at each of an organisation's alert lead
/// times it publishes one ShiftsUnderstaffed listing every short shift. Here that becomes one mail
/// per coordinator and admin of the organisation (from the memberships replica) listing them all —
/// not one mail per shift. Helpers get none.
/// </para>
/// </summary>
public sealed class ShiftsUnderstaffedConsumer(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration, ILogger<ShiftsUnderstaffedConsumer> logger)
    : IConsumer<ShiftsUnderstaffed>
{
    private readonly AppLinks _links = AppLinks.From(configuration);

    public Task Consume(ConsumeContext<ShiftsUnderstaffed> context)
    {
        var m = context.Message;
        return db.ConsumeOnceAsync(context, nameof(ShiftsUnderstaffedConsumer), async tx =>
        {
            if (m.Shifts.Count == 0)
            {
                return;
            }

            var coordinators = await Recipient.CoordinatorIdsAsync(tx, m.Org, context.CancellationToken);

            var recipients = await Recipient.FindManyAsync(tx, coordinators, context.CancellationToken);
            var org = await Organisation.FindAsync(tx, m.Org, context.CancellationToken);
            var now = time.GetUtcNow();
            var shifts = m.Shifts.OrderBy(s => s.Shift.StartsAt).ToList();
            foreach (var recipient in recipients.Values)
            {
                var language = recipient.Language;
                var items = MailBlock.Join(shifts.Select(gap =>
                {
                    var values = ShiftValues.For(gap.Shift, org, language, _links);
                    values["confirmed"] = gap.Confirmed.ToString(CultureInfo.InvariantCulture);
                    values["minimum"] = gap.Minimum.ToString(CultureInfo.InvariantCulture);
                    return MailTemplates.Block("gap-item", language, values);
                }));
                var mail = MailTemplates.Render(MailKind.GapAlert, language, new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["name"] = recipient.Name,
                    ["org"] = org.Name,
                    ["count"] = shifts.Count.ToString(CultureInfo.InvariantCulture),
                    ["lead"] = ((int)Math.Round(m.LeadTime.TotalHours)).ToString(CultureInfo.InvariantCulture),
                    ["items"] = items,
                    ["gapsLink"] = _links.Gaps(org.Slug),
                });
                await Deliveries.EnqueueAsync(tx, new OutgoingMail($"{context.MessageId:N}:{recipient.Id:N}:{MailKind.GapAlert}", MailKind.GapAlert,
                    recipient.Id, recipient.Email, language, mail.Subject, mail.Text, mail.Html) { Org = m.Org }, now, context.CancellationToken);
            }
        }, logger);
    }
}
