using System.Security.Claims;
using Shifts.Web.Api;

namespace Shifts.Web.Session;

/// <summary>
/// The signed-in person for this request, read once from the API (<c>GET /api/me</c>) and shared by
/// the layout and the page: memberships are current state, never taken from the cookie.
/// </summary>
public sealed class CurrentPerson(IHttpContextAccessor accessor, ShiftsApi api)
{
    private Task<ApiResult<Me>>? _me;

    public bool IsSignedIn => accessor.HttpContext?.User.Identity?.IsAuthenticated == true;

    public string? Name => accessor.HttpContext?.User.FindFirstValue(ClaimTypes.Name);

    public Guid? Id => Guid.TryParse(accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The person as the API has them now; null when not signed in.</summary>
    public async Task<ApiResult<Me>?> MeAsync()
    {
        if (!IsSignedIn)
        {
            return null;
        }

        return await (_me ??= api.MeAsync(accessor.HttpContext?.RequestAborted ?? default));
    }
}
