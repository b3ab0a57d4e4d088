using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Delivery;

/// <summary>Nothing twice: a redelivered message, and a dispatcher that died mid-batch, each give one mail.</summary>
[Collection(nameof(NotificationsCollection))]
public sealed class ExactlyOnceTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task The_same_integration_event_delivered_twice_gives_one_mail()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var claimed = new ShiftClaimed(Guid.NewGuid(), helper.Id, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(5)));
        var messageId = Guid.NewGuid();

        await fixture.PublishAsync(claimed, messageId);
        await fixture.PublishAsync(claimed, messageId);

        // The second copy reached the consumer and was recognised.
        await fixture.Logs.WaitForAsync(line => line.Contains("Skipped duplicate ShiftClaimed", StringComparison.Ordinal)
                                                && line.Contains(messageId.ToString(), StringComparison.Ordinal));
        Assert.Single(await fixture.MailsAsync(helper.Email, "Bestätigt"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await fixture.Inbox.MailsToAsync(helper.Email));
        Assert.Equal([("claim-confirmed", "sent")], await fixture.DeliveriesToAsync(helper.Id));
    }

    [Fact]
    public async Task Two_messages_for_the_same_claim_with_different_ids_still_confirm_once_per_message()
    {
        // The dedup key is (message, recipient, kind): a WaitlistPromoted after a ShiftClaimed is news, and is sent.
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("en");
        var claimId = Guid.NewGuid();
        var shift = NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(5));

        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, shift));
        await fixture.PublishAndWaitAsync(new WaitlistPromoted(claimId, helper.Id, shift));

        Assert.Equal(2, (await fixture.Inbox.WaitForMailsToAsync(helper.Email, 2)).Count);
        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM reminders WHERE claim_id = @p", claimId));
    }

    [Fact]
    public async Task After_a_crash_a_mail_never_handed_to_the_server_is_sent_once_and_one_that_may_have_been_is_not_sent_again()
    {
        // What a dispatcher killed mid-batch leaves behind: rows in 'sending' claimed minutes ago,
        // one of them past the end of its message (the end-of-data marker send_started_at set), one not.
        var notHandedOver = $"crash-a-{Guid.NewGuid():N}@notifications.test";
        var handedOver = $"crash-b-{Guid.NewGuid():N}@notifications.test";
        await using (var command = fixture.Db.CreateCommand("""
            INSERT INTO deliveries (id, dedup_key, kind, recipient_email, locale, subject, body_text, body_html, status, attempts, next_attempt_at, send_started_at)
            VALUES (gen_random_uuid(), @a, 'login-link', @a, 'en', 'Left behind', 'text', '<p>html</p>', 'sending', 1, now() - interval '5 minutes', NULL),
                   (gen_random_uuid(), @b, 'login-link', @b, 'en', 'Left behind', 'text', '<p>html</p>', 'sending', 1, now() - interval '5 minutes', now() - interval '5 minutes')
            """))
        {
            command.Parameters.AddWithValue("a", notHandedOver);
            command.Parameters.AddWithValue("b", handedOver);
            await command.ExecuteNonQueryAsync();
        }

        Assert.Single(await fixture.Inbox.WaitForMailsToAsync(notHandedOver));
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE dedup_key = @p AND status = 'failed'", handedOver, 1);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE dedup_key = @p AND status = 'sent'", notHandedOver));
        Assert.Equal(1, await fixture.CountAsync(
            "SELECT count(*) FROM deliveries WHERE dedup_key = @p AND last_error LIKE 'interrupted between the end of the mail and the server''s answer%' AND body_text IS NULL", handedOver));
        Assert.Empty(await fixture.Inbox.MailsToAsync(handedOver));
    }
}
