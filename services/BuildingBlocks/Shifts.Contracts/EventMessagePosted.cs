namespace Shifts.Contracts;

/// <summary>
/// A coordinator wrote to the people of an event or of some of its shifts ("the meeting point moved
/// to the tram stop"). The events service resolves the recipients (confirmed claims at the time of
/// sending), the notifications service mails each of them in the delivery log.
/// </summary>
public sealed record EventMessagePosted(
    Guid MessageId,
    string Org,
    Guid EventId,
    string EventTitle,
    Guid SentBy,
    string SentByName,
    string Subject,
    string Body,
    IReadOnlyList<Guid> VolunteerIds);
