using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Changes;

/// <summary>Postponed, rescheduled and cancelled events and changed or cancelled shifts: exactly the affected people are told, once.</summary>
[Collection(nameof(NotificationsCollection))]
public sealed class ChangeNoticeTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task A_rescheduled_event_tells_exactly_the_affected_volunteers_the_old_and_new_time()
    {
        var (org, shift, anna, ben, carla) = await ThreeClaimantsAsync();
        var oldStart = shift.StartsAt;
        var newStart = NotificationsFixture.Local(new DateTime(2030, 6, 22, 10, 0, 0));

        // Carla's claim was released for a conflict (she hears that by ClaimCancelled): she is not among the affected.
        await fixture.PublishAsync(new EventRescheduled(shift.EventId, org, shift.EventTitle, oldStart, oldStart.AddHours(8),
            newStart, newStart.AddHours(8), [anna.Id, ben.Id]));

        foreach (var person in new[] { anna, ben })
        {
            var mail = Assert.Single(await fixture.MailsAsync(person.Email, "Neuer Termin"));
            var text = await fixture.Inbox.PlainTextAsync(mail.Id);
            Assert.Contains("Bisher: Samstag, 15. Juni 2030, 10:00–18:00 Uhr", text, StringComparison.Ordinal);
            Assert.Contains("Neu: Samstag, 22. Juni 2030, 10:00–18:00 Uhr", text, StringComparison.Ordinal);
            Assert.Contains("Deine Schicht „Infostand aufbauen“: Samstag, 22. Juni 2030, 10:00–12:00 Uhr", text, StringComparison.Ordinal);
            Assert.Contains("Wo: Weserwehr, Am Weserwehr 1, Bremen", text, StringComparison.Ordinal);
        }

        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE kind = 'event-rescheduled' AND org = @p AND status = 'sent'", org, 2);
        Assert.DoesNotContain(await fixture.DeliveriesToAsync(carla.Id), d => d.Kind == "event-rescheduled");
    }

    [Fact]
    public async Task A_postponed_event_tells_exactly_the_affected_volunteers_and_holds_their_reminders()
    {
        var (org, shift, anna, ben, carla) = await ThreeClaimantsAsync();

        await fixture.PublishAsync(new EventPostponed(shift.EventId, org, shift.EventTitle, shift.StartsAt, "Sturmwarnung", [anna.Id, ben.Id]));

        foreach (var person in new[] { anna, ben })
        {
            var mail = Assert.Single(await fixture.MailsAsync(person.Email, "Verschoben"));
            var text = await fixture.Inbox.PlainTextAsync(mail.Id);
            Assert.Contains("Wann bisher: Samstag, 15. Juni 2030, 10:00 Uhr", text, StringComparison.Ordinal);
            Assert.Contains("Grund: Sturmwarnung", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(await fixture.DeliveriesToAsync(carla.Id), d => d.Kind == "event-postponed");
        Assert.Equal(0, await fixture.CountAsync("""
            SELECT count(*) FROM reminders r JOIN claims c ON c.claim_id = r.claim_id WHERE c.event_id = @p AND r.status = 'pending'
            """, shift.EventId));
    }

    [Fact]
    public async Task A_cancelled_event_tells_exactly_the_affected_volunteers()
    {
        var (org, shift, anna, ben, carla) = await ThreeClaimantsAsync();

        await fixture.PublishAsync(new EventCancelled(shift.EventId, org, shift.EventTitle, shift.StartsAt, null, [anna.Id, carla.Id]));

        foreach (var person in new[] { anna, carla })
        {
            var mail = Assert.Single(await fixture.MailsAsync(person.Email, "Abgesagt"));
            Assert.DoesNotContain("Grund:", await fixture.Inbox.PlainTextAsync(mail.Id), StringComparison.Ordinal);
        }

        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE kind = 'event-cancelled' AND org = @p AND status = 'sent'", org, 2);
        Assert.DoesNotContain(await fixture.DeliveriesToAsync(ben.Id), d => d.Kind == "event-cancelled");
        Assert.Equal(0, await fixture.CountAsync("""
            SELECT count(*) FROM reminders r JOIN claims c ON c.claim_id = r.claim_id WHERE c.event_id = @p AND r.status = 'pending'
            """, shift.EventId));
    }

    [Fact]
    public async Task A_cancelled_shift_tells_its_claimants()
    {
        var (org, shift, anna, ben, _) = await ThreeClaimantsAsync();

        await fixture.PublishAsync(new ShiftCancelled(shift, [anna.Id, ben.Id]));

        Assert.Single(await fixture.MailsAsync(anna.Email, "Abgesagt: Infostand aufbauen"));
        Assert.Single(await fixture.MailsAsync(ben.Email, "Abgesagt: Infostand aufbauen"));
    }

    [Fact]
    public async Task A_change_helpers_cannot_see_capacity_alone_is_not_mailed()
    {
        var (org, shift, anna, _, _) = await ThreeClaimantsAsync();

        await fixture.PublishAndWaitAsync(new ShiftChanged(shift, shift.StartsAt, shift.EndsAt, 10, 4, [anna.Id]));

        Assert.DoesNotContain(await fixture.DeliveriesToAsync(anna.Id), d => d.Kind == "shift-changed");
    }

    /// <summary>An event with one shift held by Anna, Ben and Carla (German speakers).</summary>
    private async Task<(string Org, ShiftDetails Shift, Volunteer Anna, Volunteer Ben, Volunteer Carla)> ThreeClaimantsAsync()
    {
        var org = await fixture.CreateOrganisationAsync();
        var shift = NotificationsFixture.Shift(org, NotificationsFixture.Local(new DateTime(2030, 6, 15, 10, 0, 0)));
        var people = new List<Volunteer>();
        for (var i = 0; i < 3; i++)
        {
            var person = await fixture.CreateVolunteerAsync("de");
            await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), person.Id, shift));
            people.Add(person);
        }

        return (org, shift, people[0], people[1], people[2]);
    }
}
