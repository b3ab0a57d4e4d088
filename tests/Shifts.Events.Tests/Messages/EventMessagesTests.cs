using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Events.Tests.Messages;

/// <summary>POST /api/events/{id}/messages: who it reaches, who may send it, and what it refuses.</summary>
[Collection(nameof(EventsCollection))]
public sealed class EventMessagesTests(EventsFixture fixture)
{
    private static async Task ClaimAsync(HttpClient helper, Guid shiftId)
    {
        using var response = await helper.PostAsync($"/api/shifts/{shiftId}/claims", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, Guid eventId, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/events/{eventId}/messages", body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_message_reaches_the_confirmed_people_of_the_chosen_shifts_only()
    {
        var org = await fixture.CreateOrganisationAsync();
        var (coordinatorId, token) = await fixture.CreateMemberAsync(org, "coordinator");
        using var coordinator = fixture.Client(token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(4, 8), Seed.Future(4, 20));
        var setup = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(4, 9), Seed.Future(4, 10), capacity: 3);
        var bar = await Seed.ShiftAsync(coordinator, eventId, Seed.Future(4, 12), Seed.Future(4, 14), capacity: 3);
        var (early, earlyToken) = await fixture.CreateMemberAsync(org);
        var (late, lateToken) = await fixture.CreateMemberAsync(org);
        var (gone, goneToken) = await fixture.CreateMemberAsync(org);
        using (var client = fixture.Client(earlyToken)) { await ClaimAsync(client, setup); }
        using (var client = fixture.Client(lateToken)) { await ClaimAsync(client, bar); }
        using (var client = fixture.Client(goneToken))
        {
            await ClaimAsync(client, setup);
            using var back = await client.DeleteAsync($"/api/shifts/{setup}/claims/mine");
            Assert.Equal(HttpStatusCode.NoContent, back.StatusCode);
        }

        var (status, receipt) = await PostAsync(coordinator, eventId, new { subject = "Treffpunkt", body = "Wir treffen uns an der Straßenbahn.", shiftIds = new[] { setup } });
        var (allStatus, all) = await PostAsync(coordinator, eventId, new { subject = "Danke", body = "Danke euch allen!" });

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1, receipt.GetProperty("recipients").GetInt32());
        var posted = (await fixture.ReceivedAsync<EventMessagePosted>(m => m.MessageId == receipt.GetProperty("id").GetGuid())).Single().Message;
        Assert.Equal([early], posted.VolunteerIds);
        Assert.Equal(("Treffpunkt", "Wir treffen uns an der Straßenbahn.", coordinatorId, org), (posted.Subject, posted.Body, posted.SentBy, posted.Org));
        Assert.Equal("Sommerfest am Weserwehr", posted.EventTitle);

        Assert.Equal(HttpStatusCode.Accepted, allStatus);
        var everyone = (await fixture.ReceivedAsync<EventMessagePosted>(m => m.MessageId == all.GetProperty("id").GetGuid())).Single().Message;
        Assert.Equal(new[] { early, late }.Order(), everyone.VolunteerIds.Order());
        Assert.DoesNotContain(gone, everyone.VolunteerIds);
    }

    [Fact]
    public async Task Only_coordinators_send_and_bad_input_is_a_validation_problem()
    {
        var org = await fixture.CreateOrganisationAsync();
        using var coordinator = fixture.Client((await fixture.CreateMemberAsync(org, "coordinator")).Token);
        using var helper = fixture.Client((await fixture.CreateMemberAsync(org)).Token);
        var eventId = await Seed.EventAsync(fixture, org, Seed.Future(4, 8), Seed.Future(4, 20));
        var otherEvent = await Seed.EventAsync(fixture, org, Seed.Future(6, 8), Seed.Future(6, 20));
        var foreignShift = await Seed.ShiftAsync(coordinator, otherEvent, Seed.Future(6, 9), Seed.Future(6, 10));

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(helper, eventId, new { subject = "Hallo", body = "Text" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(coordinator, Guid.NewGuid(), new { subject = "Hallo", body = "Text" })).Status);
        foreach (var bad in new object[]
        {
            new { subject = "", body = "Text" },
            new { subject = "Hallo", body = "   " },
            new { subject = new string('x', 201), body = "Text" },
            new { subject = "Hallo", body = "Text", shiftIds = new[] { foreignShift } },
        })
        {
            var (status, problem) = await PostAsync(coordinator, eventId, bad);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("validation", problem.GetProperty("code").GetString());
        }

        // Nobody on the event yet: accepted, with nobody to tell and nothing sent.
        var (empty, receipt) = await PostAsync(coordinator, eventId, new { subject = "Hallo", body = "Text" });
        Assert.Equal(HttpStatusCode.Accepted, empty);
        Assert.Equal(0, receipt.GetProperty("recipients").GetInt32());
        Assert.Empty(fixture.Received<EventMessagePosted>(m => m.MessageId == receipt.GetProperty("id").GetGuid()));
    }
}
