using Shifts.Web.Session;

namespace Shifts.Web.Components.Editor;

/// <summary>Whether the signed-in person coordinates the organisation (coordinator or admin), from their memberships.</summary>
public static class Coordinators
{
    public static async Task<bool> IsCoordinatorAsync(CurrentPerson person, string org)
    {
        ArgumentNullException.ThrowIfNull(person);
        return await person.MeAsync() is { Ok: true, Value: { } me } && me.Memberships.Any(m => m.Org == org && m.IsCoordinator);
    }
}
