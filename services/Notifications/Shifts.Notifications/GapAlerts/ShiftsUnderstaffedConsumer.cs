using MassTransit;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Inbox;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;

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
            foreach (var recipient in recipients.Values)
            {
                var language = recipient.Language;
                var mail = GapAlertMail.Render(recipient.Name, language, org, m.LeadTime, m.Shifts, _links);
                await Deliveries.EnqueueAsync(tx, new OutgoingMail($"{context.MessageId:N}:{recipient.Id:N}:{MailKind.GapAlert}", MailKind.GapAlert,
                    recipient.Id, recipient.Email, language, mail.Subject, mail.Text, mail.Html) { Org = m.Org }, now, context.CancellationToken);
            }
        }, logger);
    }
}
