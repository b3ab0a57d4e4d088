namespace Shifts.Contracts;

/// <summary>
/// A request (MassTransit request/response, off any user's request path): the notifications
/// service asks the events service for an organisation's next open, newcomer-friendly shifts of
/// published events starting after <paramref name="From"/>, at most <paramref name="Limit"/>, to
/// list them in a welcome mail. Answered with <see cref="NewcomerShiftsListed"/>.
/// </summary>
public sealed record NewcomerShiftsRequested(string Org, DateTimeOffset From, int Limit);
