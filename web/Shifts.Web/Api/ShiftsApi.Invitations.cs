namespace Shifts.Web.Api;

// Answering a coordinator's invitation from the mailed link: the token is the credential, so the
// calls go without the session's token (the person may not be signed in, or signed in as someone else).
public sealed partial class ShiftsApi
{
    /// <summary>
    /// <c>POST /api/invitations/accept</c> (201 a claim, 200 the same claim again) or
    /// <c>/decline</c> (204) with <c>{token}</c>; refusals are problems: 409 <c>shift-full</c>,
    /// <c>overlapping-claim</c>, <c>invitation-answered</c>, 410 <c>invitation-expired</c>, 404 <c>invitation-not-found</c>.
    /// </summary>
    public Task<ApiResult<bool>> AnswerInvitationAsync(string token, bool accept, CancellationToken ct = default) =>
        Guarded(() => SendAsync(HttpMethod.Post, accept ? "/api/invitations/accept" : "/api/invitations/decline", new { token }, ct, anonymous: true));
}
