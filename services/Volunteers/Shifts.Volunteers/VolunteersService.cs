namespace Shifts.Volunteers;

/// <summary>Names this service's assembly where a type is needed to host it (tests, tools); holds nothing.</summary>
public sealed class VolunteersService
{
    private VolunteersService()
    {
    }
}
