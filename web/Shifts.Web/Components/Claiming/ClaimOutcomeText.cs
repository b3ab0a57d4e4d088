using Microsoft.Extensions.Localization;
using Shifts.Web.Api;
using Shifts.Web.Localization;

namespace Shifts.Web.Components.Claiming;

public enum OutcomeTone
{
    Success,
    Refusal,
}

/// <summary>An outcome in words: the sentence, an optional link, and what the card offers next.</summary>
public sealed record OutcomeMessage(OutcomeTone Tone, string Text, string? LinkHref = null, string? LinkText = null);

/// <summary>
/// Every answer to a claim, a waitlist join or a give-back in the person's words: the one place
/// that maps the API's codes (docs/api.md, "Errors") to sentences, so each refusal says what happened
/// and what the person can do.
/// </summary>
public static class ClaimOutcomeText
{
    public static OutcomeMessage Describe(IStringLocalizer<ShiftsText> s, IStringLocalizer<Text> t, ClaimOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(outcome);
        var shiftLink = $"/shifts/{outcome.Shift.Id}";
        if (outcome.Problem is not { } problem)
        {
            return outcome.Action switch
            {
                ClaimAction.Claim => new(OutcomeTone.Success, outcome.AlreadyHeld ? s["outcome.alreadyHeld"] : s["outcome.claimed"], shiftLink, s["outcome.toShift"]),
                ClaimAction.JoinWaitlist => new(OutcomeTone.Success,
                    outcome.WaitlistPosition is { } position ? s["outcome.waitlisted", position] : s["outcome.waitlisted.unknown"], shiftLink, s["outcome.toShift"]),
                _ => new(OutcomeTone.Success, s["outcome.givenBack"]),
            };
        }

        var organisation = outcome.OrganisationName ?? outcome.Shift.Org;
        var zone = outcome.TimeZone;
        return problem.Code switch
        {
            "shift-full" => new(OutcomeTone.Refusal, problem.BoolMember("waitlistAvailable") == true ? s["outcome.shift-full"] : s["outcome.shift-full.noWaitlist"]),
            "overlapping-claim" when outcome.ConflictingShift is { } other => new(OutcomeTone.Refusal,
                s["outcome.overlapping-claim", other.Title, other.EventTitle, When.Full(other.StartsAt, other.EndsAt, zone)],
                $"/shifts/{other.Id}", s["outcome.overlapping-claim.link", other.Title]),
            "overlapping-claim" => new(OutcomeTone.Refusal, s["outcome.overlapping-claim.unknown"], "/me/shifts", s["outcome.overlapping-claim.mine"]),
            "qualification-required" => new(OutcomeTone.Refusal, outcome.QualificationName is { } name
                ? s["outcome.qualification-required", name, organisation]
                : s["outcome.qualification-required.unknown", organisation]),
            "shift-closed" => new(OutcomeTone.Refusal, ClosedReason(s, outcome.Current ?? outcome.Shift, now)),
            "cancellation-deadline-passed" => new(OutcomeTone.Refusal, outcome.Deadline is { } deadline
                ? s["outcome.cancellation-deadline-passed", When.Moment(deadline, zone), organisation]
                : s["outcome.cancellation-deadline-passed.unknown", organisation]),
            "already-claimed" => new(OutcomeTone.Refusal, s["outcome.already-claimed"], shiftLink, s["outcome.toShift"]),
            "shift-not-full" => new(OutcomeTone.Refusal, s["outcome.shift-not-full"]),
            "rate-limited" => new(OutcomeTone.Refusal, s["outcome.rate-limited"]),
            ApiProblem.Unavailable => new(OutcomeTone.Refusal, outcome.Action == ClaimAction.Claim ? s["outcome.unavailable.claim"] : s["outcome.unavailable"]),
            "forbidden" => new(OutcomeTone.Refusal, s["outcome.forbidden", organisation]),
            "not-found" when outcome.Action == ClaimAction.GiveBack => new(OutcomeTone.Refusal, s["outcome.notHeld"]),
            "not-found" => new(OutcomeTone.Refusal, s["outcome.not-found"]),
            _ => new(OutcomeTone.Refusal, t.Describe(problem)),
        };
    }

    /// <summary>Why a shift cannot be booked, from its current state.</summary>
    public static string ClosedReason(IStringLocalizer<ShiftsText> s, ShiftSummary shift, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(shift);
        return (shift.Status, shift.EventStatus) switch
        {
            ("cancelled", _) => s["closed.cancelled"],
            (_, "cancelled") => s["closed.eventCancelled"],
            (_, "postponed") => s["closed.postponed"],
            _ when shift.StartsAt <= now => s["closed.started"],
            _ => s["closed.other"],
        };
    }

    /// <summary>
    /// A refusal that trying again cannot change (a missing qualification, a shift at the same
    /// time, not a member): the claim button goes, the words say what to do instead.
    /// </summary>
    public static bool BlocksClaim(ClaimOutcome? outcome) =>
        outcome is { Action: ClaimAction.Claim, Problem.Code: "qualification-required" or "overlapping-claim" or "forbidden" };

    /// <summary>Whether, after this outcome, the card should offer the waitlist (the claim found the shift full).</summary>
    public static bool OffersWaitlist(ClaimOutcome outcome) =>
        outcome is { Action: ClaimAction.Claim, Problem: { Code: "shift-full" } problem } && problem.BoolMember("waitlistAvailable") == true;
}
