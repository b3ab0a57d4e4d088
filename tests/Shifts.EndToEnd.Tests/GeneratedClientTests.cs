using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shifts.Client;
using Shifts.Client.Models;
using Shifts.Testing;
using JsonObject = System.Text.Json.Nodes.JsonObject;

namespace Shifts.EndToEnd.Tests;

/// <summary>
/// The client in tests/Shifts.Client is generated (Kiota) from tests/Shifts.Client/openapi.json, a copy
/// of the merged document the gateway serves. One test keeps the copy equal to what the running system
/// serves; another uses the generated client against the system, so the documents cannot lie.
/// </summary>
[Collection(nameof(ShiftsSystemCollection))]
public sealed class GeneratedClientTests(ShiftsSystem system)
{
    private const string UpdateVariable = "SHIFTS_UPDATE_OPENAPI";

    private static readonly string UpdateCommand =
        $"{UpdateVariable}=1 ./shifts test --filter {nameof(GeneratedClientTests)} (see tests/Shifts.Client/README.md)";

    [Fact]
    public async Task The_committed_document_is_the_merged_one_the_gateway_serves()
    {
        var served = await system.Gateway.GetStringAsync("/openapi/shifts.json");
        var committedPath = Path.Combine(RepositoryRoot(), "tests", "Shifts.Client", "openapi.json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var indented = JsonNode.Parse(served)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await File.WriteAllTextAsync(committedPath, indented.ReplaceLineEndings("\n") + "\n");
        }

        Assert.True(File.Exists(committedPath), $"{committedPath} is missing; write it with {UpdateCommand}");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(committedPath));
        var difference = FirstDifference(JsonNode.Parse(served), committed, "");
        Assert.True(difference is null,
            $"tests/Shifts.Client/openapi.json differs from the gateway's /openapi/shifts.json at '{difference}'. " +
            $"If the change to the API is intended, update the copy (and so the generated client) with {UpdateCommand}");
    }

    [Fact]
    public async Task A_helper_claims_a_published_shift_through_the_generated_client()
    {
        var gateway = system.Gateway.BaseAddress!;
        var org = $"gc-{Guid.NewGuid():N}"[..20];
        using var anonymous = new ShiftsApi(gateway);

        // The platform admin opens an organisation and adds a coordinator, who confirms from the mail.
        using var admin = new ShiftsApi(gateway, await system.AccessTokenAsync(system.AdminEmail));
        var organisation = await admin.Client.Api.Orgs.PostAsync(new NewOrganisation { Slug = org, Name = "Ortsverein Generiert", TimeZone = "Europe/Berlin" });
        Assert.Equal(org, organisation!.Slug);
        Assert.Equal("Europe/Berlin", organisation.TimeZone);

        var carla = $"carla-{Guid.NewGuid():N}@example.org";
        var invited = (await system.Inbox.MailsToAsync(carla)).Select(m => m.Id).ToHashSet();
        await admin.Client.Api.Orgs[org].Members.PostAsync(new NewMember { Name = "Carla", Email = carla, Role = "coordinator", Locale = "de" });
        var membership = await anonymous.Client.Api.Memberships.Confirm.PostAsync(new ConfirmationRequest { Token = await system.ReadConfirmationTokenAsync(carla, invited) });
        Assert.Equal(org, membership!.Org);
        Assert.Equal("coordinator", membership.Role);
        using var coordinator = new ShiftsApi(gateway, membership.Session!.AccessToken);

        // An info stand in two weeks, 10:00 to 14:00 Berlin time, with one shift of two places; published.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).Date.AddDays(14);
        DateTimeOffset At(int hour) => new(day.AddHours(hour), berlin.GetUtcOffset(day.AddHours(hour)));
        var created = await UntilAllowedAsync(() => coordinator.Client.Api.Orgs[org].Events.PostAsync(new NewEvent
        {
            Title = "Infostand am Markt",
            Kind = EventKind.InfoStand,
            Location = new EventLocation { Name = "Marktplatz", Address = "Am Markt 1, Bremen" },
            StartsAt = At(10),
            EndsAt = At(14),
            Shifts = [new ShiftSpec { Title = "Standbetreuung", StartsAt = At(10), EndsAt = At(12), Capacity = 2, Minimum = 1, NewcomerFriendly = true }],
        }));
        Assert.Equal("draft", created!.Status);
        var eventId = created.Id!.Value;
        var published = await coordinator.Client.Api.Events[eventId].Publish.PostAsync();
        Assert.Equal("published", published!.Status);
        var shiftId = Assert.Single(published.Shifts!).Id!.Value;

        // A newcomer signs up, finds the open shift in the list and claims it.
        var hana = $"hana-{Guid.NewGuid():N}@example.org";
        var signedUp = (await system.Inbox.MailsToAsync(hana)).Select(m => m.Id).ToHashSet();
        await anonymous.Client.Api.Orgs[org].Signup.PostAsync(new SignupRequest { Name = "Hana", Email = hana, Locale = "de" });
        var confirmed = await anonymous.Client.Api.Memberships.Confirm.PostAsync(new ConfirmationRequest { Token = await system.ReadConfirmationTokenAsync(hana, signedUp) });
        Assert.Equal("helper", confirmed!.Role);
        using var helper = new ShiftsApi(gateway, confirmed.Session!.AccessToken);

        var open = await Eventually.Async(
            () => helper.Client.Api.Orgs[org].Shifts.GetAsync(request => request.QueryParameters.NewcomerFriendly = true),
            page => page?.Items?.Count > 0, TimeSpan.FromSeconds(20), "the published shift in the helper's list");
        var listed = Assert.Single(open!.Items!);
        Assert.Equal(shiftId, listed.Id);
        Assert.Equal(eventId, listed.EventId);
        Assert.Equal("Standbetreuung", listed.Title);
        Assert.Equal("Infostand am Markt", listed.EventTitle);
        Assert.Equal(At(10), listed.StartsAt);
        Assert.Equal(At(12), listed.EndsAt);
        Assert.Equal(2, listed.Capacity);
        Assert.Equal(0, listed.Confirmed);
        Assert.Equal("Marktplatz", listed.Location!.Name);

        var claim = await helper.Client.Api.Shifts[shiftId].Claims.PostAsync(request => request.Headers.Add("Idempotency-Key", $"claim-{Guid.NewGuid():N}"));
        Assert.Equal(shiftId, claim!.ShiftId);
        Assert.Equal("confirmed", claim.Status);
        Assert.NotNull(claim.Id);

        // Her shifts hold the claim; the shift counts her.
        var mine = await helper.Client.Api.Me.Shifts.GetAsync();
        var held = Assert.Single(mine!.Claims!);
        Assert.Equal(shiftId, held.Shift!.Id);
        Assert.Equal("Standbetreuung", held.Shift.Title);
        Assert.Equal("confirmed", held.Status);
        Assert.Equal(claim.Id, held.ClaimId);
        Assert.Empty(mine.Waitlist!);

        var shift = await helper.Client.Api.Shifts[shiftId].GetAsync();
        Assert.Equal(1, shift!.Confirmed);
        Assert.Equal("published", shift.EventStatus);
        Assert.Equal(org, shift.Org);
        Assert.Equal("Hana", Assert.Single(shift.Claimants!).Name);
    }

    /// <summary>
    /// A new organisation and member reach the events service through RabbitMQ: until then it
    /// answers 404 or 403, which the generated client throws as an ApiException, and Eventually asks
    /// again (20 s at most; the last exception is in its timeout message).
    /// </summary>
    private static Task<T> UntilAllowedAsync<T>(Func<Task<T?>> send) where T : class =>
        Eventually.Async(send, TimeSpan.FromSeconds(20), "the organisation and its member known to the events service");

    /// <summary>The JSON pointer of the first place where the two documents differ, or null when they are equal (property order aside).</summary>
    private static string? FirstDifference(JsonNode? served, JsonNode? committed, string pointer)
    {
        switch (served, committed)
        {
            case (JsonObject left, JsonObject right):
                foreach (var name in left.Select(p => p.Key).Union(right.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    var child = $"{pointer}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (!left.ContainsKey(name) || !right.ContainsKey(name))
                        return child;
                    if (FirstDifference(left[name], right[name], child) is { } found)
                        return found;
                }

                return null;
            case (JsonArray left, JsonArray right):
                for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
                {
                    if (i >= left.Count || i >= right.Count)
                        return $"{pointer}/{i}";
                    if (FirstDifference(left[i], right[i], $"{pointer}/{i}") is { } found)
                        return found;
                }

                return null;
            default:
                return JsonNode.DeepEquals(served, committed) ? null : pointer;
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Shifts.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Shifts.sln not found above the test binaries.");
    }
}
