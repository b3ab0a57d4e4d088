using Microsoft.Extensions.Logging.Abstractions;
using Shifts.Contracts;
using Shifts.Notifications.Consent;

namespace Shifts.Notifications.Tests.Consent;

[Collection(nameof(NotificationsCollection))]
public sealed class ConsentMailTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task An_invitation_says_who_asked_for_which_organisation_and_that_ignoring_it_is_enough()
    {
        var email = $"invited-{Guid.NewGuid():N}@notifications.test";
        var link = new Uri($"{NotificationsFixture.PublicBaseUrl}/join/confirm?token=abc");

        await fixture.PublishAsync(new MembershipConfirmationRequested(Guid.NewGuid(), email, "Nora", "de", "kv-nord", "KV Nord", "Carla Koordination",
            link, DateTimeOffset.UtcNow.AddDays(7)));

        var mail = Assert.Single(await fixture.MailsAsync(email, "KV Nord"));
        Assert.Equal("Bestätigen: KV Nord bei Shifts beitreten?", mail.Subject);
        var text = await fixture.Inbox.PlainTextAsync(mail.Id);
        Assert.Contains("Hallo Nora,", text, StringComparison.Ordinal);
        Assert.Contains("Carla Koordination aus der Koordination von KV Nord möchte dich", text, StringComparison.Ordinal);
        Assert.Contains("Mit deiner Bestätigung wirst du Mitglied von KV Nord", text, StringComparison.Ordinal);
        Assert.Contains("innerhalb von 7 Tagen", text, StringComparison.Ordinal);
        Assert.Contains(link.AbsoluteUri, text, StringComparison.Ordinal);
        Assert.Contains("ignoriere diese Mail einfach. Es passiert nichts", text, StringComparison.Ordinal);
        // Not the organisation's to see until the click, and nobody's delivery yet.
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE recipient_email = @p AND org IS NULL AND recipient_id IS NULL", email));
    }

    [Fact]
    public async Task A_sign_up_of_ones_own_says_so_and_a_member_gets_a_note_without_a_link()
    {
        var email = $"signup-{Guid.NewGuid():N}@notifications.test";
        var member = $"member-{Guid.NewGuid():N}@notifications.test";

        await fixture.PublishAsync(new MembershipConfirmationRequested(Guid.NewGuid(), email, "Lena", "en", "kv-nord", "KV Nord", null,
            new Uri($"{NotificationsFixture.PublicBaseUrl}/join/confirm?token=xyz"), DateTimeOffset.UtcNow.AddDays(7)));
        await fixture.PublishAsync(new MembershipConfirmationRequested(Guid.NewGuid(), member, "Max", "en", "kv-nord", "KV Nord", "Carla", null, DateTimeOffset.UtcNow.AddDays(7)));

        var text = await fixture.Inbox.PlainTextAsync(Assert.Single(await fixture.MailsAsync(email, "Confirm: join KV Nord")).Id);
        Assert.Contains("Someone signed up with this address to join KV Nord", text, StringComparison.Ordinal);
        Assert.Contains("simply ignore this mail. Nothing happens", text, StringComparison.Ordinal);
        var note = Assert.Single(await fixture.MailsAsync(member, "You are already a member of KV Nord"));
        var noteText = await fixture.Inbox.PlainTextAsync(note.Id);
        Assert.Contains("Carla, a coordinator of KV Nord, asked to add you", noteText, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", noteText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_the_link_expired_the_confirmation_delivery_keeps_no_address_and_no_subject()
    {
        var email = $"expiring-{Guid.NewGuid():N}@notifications.test";
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        await fixture.PublishAsync(new MembershipConfirmationRequested(Guid.NewGuid(), email, "Eva", "en", "partei-x", "Partei X", null,
            new Uri($"{NotificationsFixture.PublicBaseUrl}/join/confirm?token=e"), expiresAt));
        Assert.Single(await fixture.MailsAsync(email, "Partei X"));
        var housekeeping = new ConsentMailHousekeeping(fixture.Db, TimeProvider.System, NullLogger<ConsentMailHousekeeping>.Instance);
        await housekeeping.ForgetExpiredAsync(CancellationToken.None);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE recipient_email = @p", email)); // not before the expiry

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        Assert.True(await housekeeping.ForgetExpiredAsync(CancellationToken.None) >= 1);

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE recipient_email = @p", email));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE subject LIKE '%' || @p || '%'", "Partei X"));
        // What stays is a count: one confirmation mail, sent, to nobody in particular.
        Assert.True(await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE recipient_email = 'forgotten@invalid' AND subject = @p AND status = 'sent'", "membership-confirm") >= 1);
    }

    [Fact]
    public async Task A_confirmation_mail_becomes_the_persons_once_they_register_so_erasure_finds_it()
    {
        var id = Guid.NewGuid();
        var email = $"Adopted-{id:N}@notifications.test";
        var known = await fixture.CreateVolunteerAsync("en");
        await fixture.PublishAsync(new MembershipConfirmationRequested(Guid.NewGuid(), email.ToLowerInvariant(), "Ada", "en", "kv-ost", "KV Ost", null,
            new Uri($"{NotificationsFixture.PublicBaseUrl}/join/confirm?token=a"), DateTimeOffset.UtcNow.AddDays(7)));
        await fixture.PublishAsync(new MembershipConfirmationRequested(Guid.NewGuid(), known.Email, "Typed", "en", "kv-ost", "KV Ost", "Carla", null, DateTimeOffset.UtcNow.AddDays(7)));
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_email = @p AND recipient_id IS NULL AND status = 'sent'", email.ToLowerInvariant(), 1);
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND kind = 'already-member'", known.Id, 1); // a known person's at once

        await fixture.PublishAsync(new VolunteerRegistered(id, "Ada", email, "en"));

        // Two consumers hear of the registration (the replica and the consent mails): wait for this one's effect.
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND kind = 'membership-confirm'", id, 1);
        await fixture.PublishAndWaitAsync(new VolunteerErased(id));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE lower(recipient_email) = lower(@p)", email));
    }

    [Fact]
    public async Task A_person_who_left_or_was_removed_is_told()
    {
        var org = await fixture.CreateOrganisationAsync();
        var left = await fixture.CreateVolunteerAsync("en", org: org);
        var removed = await fixture.CreateVolunteerAsync("de", org: org);

        await fixture.PublishAsync(new MembershipEnded(left.Id, left.Email, left.Name, "en", org, "KV Süd", "left"));
        await fixture.PublishAsync(new MembershipEnded(removed.Id, removed.Email, removed.Name, "de", org, "KV Süd", "removed"));

        var leftText = await fixture.Inbox.PlainTextAsync(Assert.Single(await fixture.MailsAsync(left.Email, "You have left KV Süd")).Id);
        Assert.Contains("you have left KV Süd on Shifts", leftText, StringComparison.Ordinal);
        var removedText = await fixture.Inbox.PlainTextAsync(Assert.Single(await fixture.MailsAsync(removed.Email, "Du bist nicht mehr Mitglied von KV Süd")).Id);
        Assert.Contains("die Koordination von KV Süd hat dich bei Shifts aus der Organisation", removedText, StringComparison.Ordinal);
        Assert.Contains("membership-removed", (await fixture.DeliveriesToAsync(removed.Id)).Select(d => d.Kind));
    }

    [Fact]
    public async Task A_new_address_gets_the_link_and_the_old_one_the_notice()
    {
        var person = await fixture.CreateVolunteerAsync("en");
        var newEmail = $"new-{Guid.NewGuid():N}@notifications.test";
        var link = new Uri($"{NotificationsFixture.PublicBaseUrl}/me/email/confirm?token=n");

        await fixture.PublishAsync(new EmailChangeRequested(person.Id, newEmail, person.Name, "en", link, DateTimeOffset.UtcNow.AddDays(7)));
        await fixture.PublishAsync(new EmailChanged(person.Id, person.Email, newEmail, person.Name, "en"));

        var confirm = await fixture.Inbox.PlainTextAsync(Assert.Single(await fixture.MailsAsync(newEmail, "Confirm your new address")).Id);
        Assert.Contains(link.AbsoluteUri, confirm, StringComparison.Ordinal);
        Assert.Contains("ignore this mail: nothing changes", confirm, StringComparison.Ordinal);
        var notice = await fixture.Inbox.PlainTextAsync(Assert.Single(await fixture.MailsAsync(person.Email, "Your Shifts address has changed")).Id);
        Assert.Contains($"now uses {newEmail} instead of this address", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", notice, StringComparison.Ordinal);
    }
}
