using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Recipients;

[Collection(nameof(NotificationsCollection))]
public sealed class ErasureTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task An_erased_person_is_forgotten_their_deliveries_anonymised_and_late_messages_mail_nobody()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de", org: org);
        var shift = NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(5));
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, shift));
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND status = 'sent'", helper.Id, 2);

        await fixture.PublishAndWaitAsync(new VolunteerErased(helper.Id));

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM recipients WHERE id = @p", helper.Id));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM memberships WHERE volunteer_id = @p", helper.Id));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM claims WHERE volunteer_id = @p", helper.Id));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p", claimId));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE recipient_email = @p OR dedup_key LIKE '%' || @p || '%'", helper.Email));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE dedup_key LIKE '%' || @p || '%'", helper.Id.ToString("N")));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE org = @p AND subject LIKE '%Sommerfest%'", org));
        // The organisation's log keeps that two mails went out, to nobody in particular.
        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE org = @p AND recipient_id IS NULL AND recipient_email = 'erased@invalid'", org));

        // The events service releases the erased person's claims afterwards; a registration may arrive late.
        await fixture.PublishAndWaitAsync(new ClaimCancelled(claimId, helper.Id, "erased", shift));
        await fixture.PublishAndWaitAsync(new VolunteerRegistered(helper.Id, helper.Name, helper.Email, "de"));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), helper.Id, shift));

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM recipients WHERE id = @p", helper.Id));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM claims WHERE volunteer_id = @p", helper.Id));
        Assert.Equal(2, (await fixture.Inbox.MailsToAsync(helper.Email)).Count);
    }
}
