using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Notifications.Tests.Recipients;

[Collection(nameof(NotificationsCollection))]
public sealed class ExportTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task A_GDPR_export_request_is_answered_with_everything_held_about_the_person()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de", new NotificationPreferences(true, [TimeSpan.FromHours(24)], "22:00", "07:00"), org);
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(5))));

        var response = await fixture.RequestAsync<DeliveriesExportRequested, PersonalDataExported>(new DeliveriesExportRequested(helper.Id));

        Assert.Equal("notifications", response.Service);
        using var document = JsonDocument.Parse(response.Json);
        var root = document.RootElement;
        Assert.Equal(helper.Email, root.GetProperty("recipient").GetProperty("email").GetString());
        Assert.Equal("22:00", root.GetProperty("recipient").GetProperty("quietHours").GetProperty("from").GetString());
        Assert.Equal(org, root.GetProperty("memberships")[0].GetProperty("org").GetString());
        Assert.Equal(claimId, root.GetProperty("claims")[0].GetProperty("claimId").GetGuid());
        Assert.Equal("P1D", root.GetProperty("reminders")[0].GetProperty("lead").GetString());
        Assert.Contains(root.GetProperty("deliveries").EnumerateArray(), d => d.GetProperty("kind").GetString() == "claim-confirmed");
    }
}
