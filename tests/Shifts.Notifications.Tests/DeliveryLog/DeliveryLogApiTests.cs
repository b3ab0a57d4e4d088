using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shifts.Contracts;

namespace Shifts.Notifications.Tests.DeliveryLog;

[Collection(nameof(NotificationsCollection))]
public sealed class DeliveryLogApiTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task My_notifications_list_what_was_sent_to_me_newest_first_in_keyset_pages()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = await fixture.CreateVolunteerAsync("de");
        var someoneElse = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(5));
        var claimId = Guid.NewGuid();
        await fixture.PublishAndWaitAsync(new ShiftClaimed(claimId, helper.Id, shift));
        await fixture.PublishAndWaitAsync(new ClaimCancelled(claimId, helper.Id, "self", shift));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), someoneElse.Id, shift));
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE recipient_id = @p AND status = 'sent'", helper.Id, 2);
        using var client = fixture.Client(fixture.Tokens.Mint(helper.Id, helper.Name));

        var first = await client.GetFromJsonAsync<JsonElement>("/api/me/notifications?limit=1");
        var item = Assert.Single(first.GetProperty("items").EnumerateArray());
        Assert.Equal("claim-cancelled", item.GetProperty("kind").GetString());
        Assert.Equal("email", item.GetProperty("channel").GetString());
        Assert.Equal("sent", item.GetProperty("status").GetString());
        Assert.StartsWith("Ausgetragen:", item.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("Z", item.GetProperty("sentAt").GetString(), StringComparison.Ordinal);

        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/me/notifications?limit=1&cursor={cursor}");
        Assert.Equal("claim-confirmed", Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var all = await client.GetFromJsonAsync<JsonElement>("/api/me/notifications");
        Assert.Equal(["claim-cancelled", "claim-confirmed"], all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task My_notifications_need_a_signed_in_caller_and_a_valid_cursor()
    {
        using var anonymous = fixture.Client();
        using var unauthenticated = await anonymous.GetAsync("/api/me/notifications");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        using var client = fixture.Client(fixture.Tokens.Mint(Guid.NewGuid(), "Anna"));
        foreach (var query in new[] { "cursor=not-a-cursor", "limit=0", "limit=1000", "limit=abc" })
        {
            using var response = await client.GetAsync($"/api/me/notifications?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("validation", problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task The_deliveries_log_is_for_the_organisations_coordinators_only()
    {
        var org = await fixture.CreateOrganisationAsync();
        var helper = Guid.NewGuid();
        using var asHelper = fixture.Client(fixture.Tokens.Mint(helper, "Hana", [(org, "helper")]));
        using var asOtherCoordinator = fixture.Client(fixture.Tokens.Mint(Guid.NewGuid(), "Otto", [("another-org", "coordinator")]));
        using var anonymous = fixture.Client();

        foreach (var (client, status) in new[] { (asHelper, HttpStatusCode.Forbidden), (asOtherCoordinator, HttpStatusCode.Forbidden), (anonymous, HttpStatusCode.Unauthorized) })
        {
            using var response = await client.GetAsync($"/api/orgs/{org}/deliveries");
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(status == HttpStatusCode.Forbidden ? "forbidden" : "unauthenticated", problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Each_read_of_the_deliveries_log_writes_one_audit_row_with_reader_org_and_count_exported_and_anonymised_on_erasure()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        var anna = await fixture.CreateVolunteerAsync("de");
        var shift = NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(5));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), anna.Id, shift));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), coordinator.Id, shift));
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE org = @p AND kind = 'claim-confirmed'", org, 2);
        using var client = fixture.Client(fixture.Tokens.Mint(coordinator.Id, coordinator.Name, [(org, "coordinator")]));
        using var asHelper = fixture.Client(fixture.Tokens.Mint(anna.Id, anna.Name, [(org, "helper")]));

        var log = await client.GetFromJsonAsync<JsonElement>($"/api/orgs/{org}/deliveries");
        using var refused = await asHelper.GetAsync($"/api/orgs/{org}/deliveries");

        var shown = log.GetProperty("items").GetArrayLength();
        Assert.True(shown >= 2, $"{shown} entries shown");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM delivery_log_reads WHERE org = @p", org));
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM delivery_log_reads WHERE org = @p AND reader_id = '{coordinator.Id}' AND entry_count = {shown}", org));

        var export = await fixture.RequestAsync<DeliveriesExportRequested, PersonalDataExported>(new DeliveriesExportRequested(coordinator.Id));
        using (var document = JsonDocument.Parse(export.Json))
        {
            var read = Assert.Single(document.RootElement.GetProperty("deliveryLogReads").EnumerateArray());
            Assert.Equal(org, read.GetProperty("org").GetString());
            Assert.Equal(shown, read.GetProperty("entries").GetInt32());
        }

        await fixture.PublishAndWaitAsync(new VolunteerErased(coordinator.Id));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM delivery_log_reads WHERE reader_id = @p", coordinator.Id));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM delivery_log_reads WHERE org = @p AND reader_id IS NULL", org));
    }

    [Fact]
    public async Task The_deliveries_log_lists_failures_first_then_newest_with_the_reason()
    {
        var org = await fixture.CreateOrganisationAsync();
        var coordinator = await fixture.CreateVolunteerAsync("de", org: org, role: "coordinator");
        var anna = await fixture.CreateVolunteerAsync("de");
        var ben = await fixture.CreateVolunteerAsync("de");
        var broken = Guid.NewGuid();
        // An address no SMTP server takes: the delivery fails for good, with the reason.
        await fixture.PublishAndWaitAsync(new VolunteerRegistered(broken, "Broken Address", "not an address", "de"));
        var shift = NotificationsFixture.Shift(org, DateTimeOffset.UtcNow.AddDays(5));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), anna.Id, shift));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), broken, shift));
        await fixture.PublishAndWaitAsync(new ShiftClaimed(Guid.NewGuid(), ben.Id, shift));
        await fixture.WaitUntilAsync("SELECT count(*) FROM deliveries WHERE org = @p AND status IN ('sent', 'failed') AND kind = 'claim-confirmed'", org, 3);
        using var client = fixture.Client(fixture.Tokens.Mint(coordinator.Id, coordinator.Name, [(org, "coordinator")]));

        var log = await client.GetFromJsonAsync<JsonElement>($"/api/orgs/{org}/deliveries");
        var items = log.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "claim-confirmed").ToList();

        Assert.Equal([broken, ben.Id, anna.Id], items.Select(i => i.GetProperty("recipientId").GetGuid()));
        Assert.Equal(["failed", "sent", "sent"], items.Select(i => i.GetProperty("status").GetString()));
        Assert.Contains("not a valid e-mail address", items[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(ben.Email, items[1].GetProperty("recipientEmail").GetString());
        Assert.Equal(ben.Name, items[1].GetProperty("recipientName").GetString());

        var failed = await client.GetFromJsonAsync<JsonElement>($"/api/orgs/{org}/deliveries?status=failed");
        Assert.Equal(broken, Assert.Single(failed.GetProperty("items").EnumerateArray()).GetProperty("recipientId").GetGuid());

        // Keyset pages in the same order.
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/orgs/{org}/deliveries?limit=1" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(log.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()), seen);

        using var badStatus = await client.GetAsync($"/api/orgs/{org}/deliveries?status=lost");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        var problem = await badStatus.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task The_delivery_logs_status_parameter_is_an_enum_of_the_statuses_in_the_OpenAPI_document()
    {
        using var client = fixture.Client();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var status = document.GetProperty("paths").GetProperty("/api/orgs/{org}/deliveries").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "status");
        Assert.Equal("query", status.GetProperty("in").GetString());
        Assert.Equal("string", status.GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal(["pending", "sent", "failed", "suppressed"], status.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }
}
