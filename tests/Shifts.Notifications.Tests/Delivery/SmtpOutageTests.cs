using System.Globalization;
using Shifts.Contracts;
using Shifts.Testing;

namespace Shifts.Notifications.Tests.Delivery;

/// <summary>The service mails through a TCP proxy in front of smtp4dev, so a test can take the SMTP server away and bring it back.</summary>
public sealed class SmtpOutageFixture : NotificationsFixture
{
    public TcpProxy Proxy { get; private set; } = null!;

    protected override async Task BeforeServiceStartsAsync()
    {
        var servers = await TestServers.GetAsync();
        Proxy = Own(new TcpProxy(servers.SmtpHost, servers.SmtpPort));
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Smtp:Host"] = "127.0.0.1";
        settings["Smtp:Port"] = Proxy.Port.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>SMTP away for a while, or the service restarted: mails wait in the database and all go out once, none lost, none doubled.</summary>
public sealed class SmtpOutageTests(SmtpOutageFixture fixture) : IClassFixture<SmtpOutageFixture>
{
    [Fact]
    public async Task Mails_queue_while_SMTP_is_down_and_all_go_out_once_when_it_returns()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helpers = new List<Volunteer>();
        for (var i = 0; i < 4; i++)
        {
            helpers.Add(await fixture.CreateVolunteerAsync(i % 2 == 0 ? "de" : "en"));
        }

        fixture.Proxy.Cut();
        try
        {
            foreach (var helper in helpers)
            {
                await fixture.PublishAsync(new ShiftClaimed(Guid.NewGuid(), helper.Id, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(3))));
            }

            // Every mail was tried and is waiting for the server, none lost, none given up.
            foreach (var helper in helpers)
            {
                await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p", helper.Id, 1);
            }

            await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE attempts > 0 AND status = 'pending' AND last_error IS NOT NULL AND org = @p", org, 1);
            Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM deliveries WHERE org = @p AND status IN ('sent', 'failed')", org));
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            fixture.Proxy.Restore();
        }

        foreach (var helper in helpers)
        {
            Assert.Single(await fixture.Inbox.WaitForMailsToAsync(helper.Email, 1, TimeSpan.FromSeconds(90)));
        }

        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE org = @p AND status = 'sent'", org, helpers.Count, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var helper in helpers)
        {
            Assert.Single(await fixture.Inbox.MailsToAsync(helper.Email));
        }
    }

    [Fact]
    public async Task Mails_queued_when_the_service_stops_go_out_once_after_it_starts_again()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var other = await fixture.CreateVolunteerAsync("en");

        fixture.Proxy.Cut();
        try
        {
            await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), helper.Id, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(3))));
            await fixture.StopServiceAsync();

            // While it is down, the events service goes on publishing: RabbitMQ keeps the message.
            await fixture.PublishAsync(new ShiftClaimed(Guid.NewGuid(), other.Id, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(4))));
        }
        finally
        {
            fixture.Proxy.Restore();
        }

        await fixture.StartServiceAsync();

        Assert.Single(await fixture.Inbox.WaitForMailsToAsync(helper.Email, 1, TimeSpan.FromSeconds(60)));
        Assert.Single(await fixture.Inbox.WaitForMailsToAsync(other.Email, 1, TimeSpan.FromSeconds(60)));
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE org = @p AND status = 'sent'", org, 2);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(await fixture.Inbox.MailsToAsync(helper.Email));
        Assert.Single(await fixture.Inbox.MailsToAsync(other.Email));
    }
}
