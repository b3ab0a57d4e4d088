using System.Globalization;
using System.Security.Claims;
using Shifts.Events.Staffing;
using Shifts.Events.Statuses;
using Shifts.ServiceDefaults.Auth;

namespace Shifts.Events.Tests.Domain;

/// <summary>
/// When a shift can be claimed (Staffing/ShiftState.cs) and, when not, the reason the claim's
/// 409 shift-closed gives (the same file, used by Claims/ClaimsApi.cs): the shift's own status first, then its event's,
/// then its start. Without servers.
/// </summary>
public sealed class ClosedReasonTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2027-06-12T08:00:00Z", CultureInfo.InvariantCulture);

    private static ShiftState Shift(string status = ShiftStatus.Open, string eventStatus = EventStatus.Published, TimeSpan? startsIn = null)
    {
        var startsAt = Now + (startsIn ?? TimeSpan.FromDays(1));
        return new ShiftState(Guid.NewGuid(), "kv-mitte", status, eventStatus, startsAt, startsAt.AddHours(2), 4, 1, null, TimeSpan.FromHours(24));
    }

    [Fact]
    public void An_open_shift_of_a_published_event_that_has_not_started_is_bookable()
    {
        Assert.True(Shift().IsBookable(Now));
        Assert.True(Shift(startsIn: TimeSpan.FromTicks(1)).IsBookable(Now));
    }

    [Theory]
    [InlineData(ShiftStatus.Cancelled, EventStatus.Published, 24, "This shift was cancelled.")]
    [InlineData(ShiftStatus.Cancelled, EventStatus.Cancelled, -1, "This shift was cancelled.")]
    [InlineData(ShiftStatus.Open, EventStatus.Cancelled, 24, "This event was cancelled.")]
    [InlineData(ShiftStatus.Open, EventStatus.Cancelled, -1, "This event was cancelled.")]
    [InlineData(ShiftStatus.Open, EventStatus.Postponed, 24, "This event is postponed; claims open again when it has a new date.")]
    [InlineData(ShiftStatus.Open, EventStatus.Draft, 24, "This event is not published yet.")]
    [InlineData(ShiftStatus.Open, EventStatus.Published, 0, "This shift has already started.")]
    [InlineData(ShiftStatus.Open, EventStatus.Published, -3, "This shift has already started.")]
    public void A_closed_shift_says_why_the_shift_first_then_its_event_then_its_start(string status, string eventStatus, int startsInHours, string reason)
    {
        var shift = Shift(status, eventStatus, TimeSpan.FromHours(startsInHours));

        Assert.False(shift.IsBookable(Now));
        Assert.Equal(reason, shift.ClosedReason(Now));
    }

    [Fact]
    public void A_shift_in_a_state_no_rule_names_is_simply_not_claimable()
    {
        var shift = Shift(status: "archived");

        Assert.False(shift.IsBookable(Now));
        Assert.Equal("This shift cannot be claimed.", shift.ClosedReason(Now));
    }

    [Fact]
    public void A_draft_is_seen_only_by_the_organisations_coordinators_anything_else_by_anyone()
    {
        var draft = Shift(eventStatus: EventStatus.Draft);
        var published = Shift();

        Assert.False(draft.IsVisibleTo(Caller.Anonymous));
        Assert.False(draft.IsVisibleTo(Member("kv-mitte", "helper")));
        Assert.False(draft.IsVisibleTo(Member("elsewhere", "coordinator")));
        Assert.True(draft.IsVisibleTo(Member("kv-mitte", "coordinator")));
        Assert.True(draft.IsVisibleTo(Member("kv-mitte", "admin")));
        Assert.True(published.IsVisibleTo(Caller.Anonymous));
        Assert.True(Shift(eventStatus: EventStatus.Cancelled).IsVisibleTo(Member("elsewhere", "helper")));
    }

    private static Caller Member(string org, string role) =>
        Caller.From(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ShiftsClaims.Subject, Guid.NewGuid().ToString()), new Claim(ShiftsClaims.Membership, $"{org}:{role}")], "test")));
}
