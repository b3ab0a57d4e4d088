using Shifts.Contracts;
using Shifts.Messaging;
using Shifts.Notifications.Changes;
using Shifts.Notifications.Confirmations;
using Shifts.Notifications.Consent;
using Shifts.Notifications.EventMessages;
using Shifts.Notifications.GapAlerts;
using Shifts.Notifications.Invitations;
using Shifts.Notifications.Login;
using Shifts.Notifications.Privacy;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.Volunteers;

namespace Shifts.Notifications;

/// <summary>
/// The asynchronous side of the notifications service: what it hears, from whom, on which queue.
/// Every consumer writes its effect and its inbox row in one transaction (Shifts.Messaging's Inbox),
/// and the mails it asks for are rows in the deliveries outbox (Mail/Deliveries.cs), sent by the
/// DeliveryDispatcher. Queue names are the service's prefix and the consumer's name in kebab case
/// (MessagingSetup). AddMessaging also runs the outbox relay (Shifts.Messaging's OutboxRelay): this
/// service publishes no integration events, so here the relay finds nothing to publish and only
/// deletes old inbox rows.
/// </summary>
public static class NotificationsMessaging
{
    //  message                                      from        consumer                     queue
    //  OrganisationRegistered, OrganisationChanged  volunteers  OrganisationConsumers        notifications-organisation-consumers
    //  VolunteerRegistered, VolunteerProfileChanged,
    //  MembershipChanged, VolunteerErased           volunteers  RecipientConsumers           notifications-recipient-consumers
    //  LoginLinkRequested                           volunteers  LoginLinkRequestedConsumer   notifications-login-link-requested
    //  MembershipConfirmationRequested, MembershipEnded,
    //  EmailChangeRequested, EmailChanged,
    //  VolunteerRegistered                          volunteers  ConsentMailConsumers         notifications-consent-mail-consumers
    //  ShiftClaimed, WaitlistPromoted, ClaimCancelled  events   ClaimConsumers               notifications-claim-consumers
    //  EventPostponed, EventRescheduled, EventCancelled,
    //  ShiftChanged, ShiftCancelled                 events      ChangeNoticeConsumers        notifications-change-notice-consumers
    //  ShiftsUnderstaffed                           events      ShiftsUnderstaffedConsumer   notifications-shifts-understaffed
    //  ShiftInvitationSent                          events      ShiftInvitationSentConsumer  notifications-shift-invitation-sent
    //  EventMessagePosted                           events      EventMessagePostedConsumer   notifications-event-message-posted
    //  DeliveriesExportRequested (request)          volunteers  DeliveriesExportResponder    notifications-deliveries-export-responder
    //  NewcomerShiftsRequested (request, sent)      to events   WelcomeMail's request client (answered on a temporary queue)
    public static IHostApplicationBuilder AddNotificationsMessaging(this IHostApplicationBuilder builder) =>
        builder.AddMessaging("notifications", bus =>
        {
            bus.AddConsumer<OrganisationConsumers>();
            bus.AddConsumer<RecipientConsumers>();
            bus.AddConsumer<LoginLinkRequestedConsumer>();
            bus.AddConsumer<ConsentMailConsumers>();
            bus.AddConsumer<ClaimConsumers>();
            bus.AddConsumer<ChangeNoticeConsumers>();
            bus.AddConsumer<ShiftsUnderstaffedConsumer>();
            bus.AddConsumer<ShiftInvitationSentConsumer>();
            bus.AddConsumer<EventMessagePostedConsumer>();
            bus.AddConsumer<DeliveriesExportResponder>();
            bus.AddRequestClient<NewcomerShiftsRequested>();
        });
}
