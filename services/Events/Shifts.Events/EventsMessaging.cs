using Shifts.Events.Gaps;
using Shifts.Events.Organisations;
using Shifts.Events.Privacy;
using Shifts.Events.Volunteers;
using Shifts.Messaging;
using Shifts.Messaging.Outbox;

namespace Shifts.Events;

/// <summary>
/// The asynchronous side of the events service: what it hears, from whom, on which queue, and what
/// it tells. Every consumer writes its effect and its inbox row in one transaction (Shifts.Messaging's
/// Inbox, ConsumeOnceAsync), so a message delivered twice changes nothing the second time. Queue
/// names are the service's prefix and the consumer's name in kebab case, without "Consumer"
/// (MessagingSetup's KebabCaseEndpointNameFormatter; tests/Shifts.Events.Tests/Domain/EventsMessagingTests.cs checks them).
/// </summary>
public static class EventsMessaging
{
    /// <summary>The prefix of this service's queues.</summary>
    public const string ServiceName = "events";

    //  message                                       from        consumer                  queue
    //  OrganisationRegistered, OrganisationChanged,
    //  QualificationAdded                            volunteers  OrganisationConsumers     events-organisation-consumers
    //  VolunteerRegistered, VolunteerProfileChanged,
    //  MembershipChanged, QualificationsChanged      volunteers  VolunteerConsumers        events-volunteer-consumers
    //  VolunteerErased                               volunteers  ErasureConsumer           events-erasure
    //  ClaimsExportRequested (request)               volunteers  ExportResponder           events-export-responder
    //  NewcomerShiftsRequested (request)             notifications
    //                                                            NewcomerShiftsResponder   events-newcomer-shifts-responder
    //
    // What it tells: each change enqueues its integration event in outbox_messages in the change's
    // own transaction (Outbox.EnqueueAsync), and the outbox relay that AddMessaging starts
    // (Shifts.Messaging.Outbox.OutboxRelay) publishes them to RabbitMQ after the commit:
    //
    //  message                                       enqueued by                                      read by
    //  ShiftClaimed                                  Claims/ClaimsApi (POST …/claims), Coordination/Assignments,
    //                                                Invitations/AnswerInvitation                     notifications (confirmation, reminders)
    //  ClaimCancelled                                Claims/ClaimsApi, Shifts/CancelShift, Shifts/PatchShift,
    //                                                Events/EventMoves, Privacy/ErasureConsumer       notifications
    //  WaitlistJoined                                Claims/ClaimsApi (POST …/waitlist)               nobody yet
    //  WaitlistPromoted                              Staffing/Waitlist                                notifications
    //  EventPublished                                Events/PublishEvent                              nobody yet
    //  EventPostponed, EventRescheduled, EventCancelled  Events/EventMoves                            notifications (change notices)
    //  ShiftCreated                                  Shifts/ShiftRows                                 nobody yet
    //  ShiftChanged                                  Shifts/PatchShift, Events/EditEvent (a new place) notifications (change notices)
    //  ShiftCancelled                                Shifts/CancelShift                               notifications (change notices)
    //  ShiftsUnderstaffed                            Gaps/GapDetector                                 notifications (gap alerts)
    //  EventMessagePosted                            Messages/EventMessagesApi                        notifications (a coordinator's words)
    //  ShiftInvitationSent                           Invitations/SendInvitations                      notifications (the invitation mail)
    public static IHostApplicationBuilder AddEventsMessaging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMessaging(ServiceName, bus =>
        {
            // Replicas of organisations and volunteers, fed by the volunteers service's integration events.
            bus.AddConsumer<OrganisationConsumers>();
            bus.AddConsumer<VolunteerConsumers>();
            bus.AddConsumer<ErasureConsumer>();
            // Questions other services ask over the bus (request/response): a GDPR export, a welcome mail's shifts.
            bus.AddConsumer<ExportResponder>();
            bus.AddConsumer<NewcomerShiftsResponder>();
        });

        // The relay's settings (section Outbox) are checked before anything starts: a batch of none
        // or an interval of zero would stop the relay (or spin it) without a word.
        builder.Services.AddOptions<OutboxRelayOptions>().Validate(RelaySettingsAreValid, RelaySettingsRule).ValidateOnStart();
        return builder;
    }

    internal const string RelaySettingsRule =
        "Outbox: BatchSize must be at least 1, and PollInterval, CleanupInterval, PublishTimeout, Retention and InboxRetention positive.";

    internal static bool RelaySettingsAreValid(OutboxRelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.BatchSize >= 1
            && options.PollInterval > TimeSpan.Zero
            && options.CleanupInterval > TimeSpan.Zero
            && options.PublishTimeout > TimeSpan.Zero
            && options.Retention > TimeSpan.Zero
            && options.InboxRetention > TimeSpan.Zero;
    }
}
