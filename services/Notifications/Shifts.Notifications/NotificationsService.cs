namespace Shifts.Notifications;

/// <summary>Names this service's assembly where a type is needed to host it (tests, tools); holds nothing.</summary>
public sealed class NotificationsService
{
    private NotificationsService()
    {
    }
}
