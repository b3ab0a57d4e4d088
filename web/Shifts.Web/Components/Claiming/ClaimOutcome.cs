using Shifts.Web.Api;

namespace Shifts.Web.Components.Claiming;

/// <summary>What a claim, a waitlist join or a give-back did.</summary>
public enum ClaimAction
{
    Claim,
    JoinWaitlist,
    GiveBack,
}

/// <summary>
/// The answer to one action on one shift, with what the words need beyond the API's code: the
/// other shift of an overlap, the name of a missing qualification, the organisation to ask, the
/// deadline that passed. <see cref="ClaimOutcomes.ResolveAsync"/> gathers these.
/// </summary>
public sealed record ClaimOutcome(ClaimAction Action, ShiftSummary Shift, ApiProblem? Problem = null)
{
    public bool Succeeded => Problem is null;

    /// <summary>The claim was answered 200: the person held the place already.</summary>
    public bool AlreadyHeld { get; init; }

    public int? WaitlistPosition { get; init; }

    /// <summary>overlapping-claim: the shift the person already holds at that time.</summary>
    public ShiftSummary? ConflictingShift { get; init; }

    /// <summary>qualification-required: the qualification's name (its code when the list has no name).</summary>
    public string? QualificationName { get; init; }

    public string? OrganisationName { get; init; }

    /// <summary>The organisation's time zone, for the times in the words.</summary>
    public string? TimeZone { get; init; }

    /// <summary>cancellation-deadline-passed: the moment giving back ended.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>shift-closed: the shift as it is now, to say why.</summary>
    public ShiftSummary? Current { get; init; }
}

/// <summary>Carries out an action and looks up what its refusal's words need.</summary>
public static class ClaimOutcomes
{
    public static async Task<ClaimOutcome> ClaimAsync(ShiftsApi api, OrganisationNames organisations, ShiftSummary shift, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(shift);
        var result = await api.ClaimAsync(shift.Id, idempotencyKey);
        return result.Ok
            ? new ClaimOutcome(ClaimAction.Claim, shift) { AlreadyHeld = result.Status == System.Net.HttpStatusCode.OK }
            : await ResolveAsync(api, organisations, new ClaimOutcome(ClaimAction.Claim, shift, result.Problem));
    }

    public static async Task<ClaimOutcome> JoinWaitlistAsync(ShiftsApi api, OrganisationNames organisations, ShiftSummary shift)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(shift);
        var result = await api.JoinWaitlistAsync(shift.Id);
        return result.Ok
            ? new ClaimOutcome(ClaimAction.JoinWaitlist, shift) { WaitlistPosition = result.Value?.Position }
            : await ResolveAsync(api, organisations, new ClaimOutcome(ClaimAction.JoinWaitlist, shift, result.Problem));
    }

    public static async Task<ClaimOutcome> GiveBackAsync(ShiftsApi api, OrganisationNames organisations, ShiftSummary shift)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(shift);
        var result = await api.GiveBackAsync(shift.Id);
        return result.Ok
            ? new ClaimOutcome(ClaimAction.GiveBack, shift)
            : await ResolveAsync(api, organisations, new ClaimOutcome(ClaimAction.GiveBack, shift, result.Problem));
    }

    /// <summary>Adds what the refusal's words need; a lookup that fails leaves the words more general, never the page broken.</summary>
    public static async Task<ClaimOutcome> ResolveAsync(ShiftsApi api, OrganisationNames organisations, ClaimOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(organisations);
        ArgumentNullException.ThrowIfNull(outcome);
        // Nothing to look up while the gateway is away or counting this person's requests.
        if (outcome.Problem is not { } problem || problem.Code is ApiProblem.Unavailable or "rate-limited")
        {
            return outcome;
        }

        var organisation = await OrganisationAsync(organisations, outcome.Shift.Org);
        outcome = outcome with { OrganisationName = organisation?.Name ?? outcome.Shift.Org, TimeZone = organisation?.TimeZone };
        switch (problem.Code)
        {
            case "overlapping-claim" when problem.GuidMember("conflictingShiftId") is { } otherId:
                var other = await api.ShiftAsync(otherId);
                return other is { Ok: true, Value: { } details } ? outcome with { ConflictingShift = ShiftSummary.From(details) } : outcome;
            case "qualification-required":
                var code = problem.StringMember("qualification") ?? outcome.Shift.RequiredQualification;
                if (code is null)
                {
                    return outcome;
                }

                var list = await api.QualificationsAsync(outcome.Shift.Org);
                var name = list.Value?.Items.FirstOrDefault(q => q.Code == code)?.Name;
                return outcome with { QualificationName = name ?? code };
            case "cancellation-deadline-passed":
                var deadline = DateTimeOffset.TryParse(problem.StringMember("deadline"), System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out var given)
                    ? given
                    : organisation is null ? (DateTimeOffset?)null : outcome.Shift.StartsAt - organisation.CancellationDeadline;
                return outcome with { Deadline = deadline };
            case "shift-closed":
                var now = await api.ShiftAsync(outcome.Shift.Id);
                return now is { Ok: true, Value: { } current } ? outcome with { Current = ShiftSummary.From(current) } : outcome;
            default:
                return outcome;
        }
    }

    private static async Task<Organisation?> OrganisationAsync(OrganisationNames organisations, string org)
    {
        try
        {
            return await organisations.GetAsync(org);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
