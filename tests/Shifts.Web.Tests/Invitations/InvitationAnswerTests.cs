using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shifts.Web.Api;
using Shifts.Web.Components.Invitations;

namespace Shifts.Web.Tests.Invitations;

/// <summary>
/// The page behind an invitation mail's links: it asks (a tap, never the link alone), posts the
/// token without the session's, and says every outcome kindly with the link that helps next.
/// </summary>
public sealed class InvitationAnswerTests : ComponentTest
{
    private const string Token = "tok-Abc_123";
    private static readonly Guid ShiftId = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");

    private IRenderedComponent<InvitationAnswerView> View(InvitationOutcome? outcome = null, string? preselected = null) =>
        Render<InvitationAnswerView>(p => p.Add(v => v.Token, Token).Add(v => v.Preselected, preselected).Add(v => v.Outcome, outcome ?? InvitationOutcome.Ask));

    [Fact]
    public void Opening_the_link_only_asks_with_two_buttons_in_one_form_that_carries_the_token()
    {
        var page = View();

        Assert.Equal("Du bist zu einer Schicht eingeladen", page.Find("h1").TextContent);
        var form = page.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal(Token, page.Find("input[name=InvitationToken]").GetAttribute("value"));
        var buttons = page.FindAll("form button[type=submit]");
        Assert.Equal(["Ich übernehme das", "Diesmal nicht"], buttons.Select(b => b.TextContent));
        Assert.Equal(["accept", "decline"], buttons.Select(b => b.GetAttribute("value")));
        Assert.All(buttons, b => Assert.Equal("Answer", b.GetAttribute("name")));
        Assert.Contains("primary", buttons[0].ClassList);
        Assert.DoesNotContain("primary", buttons[1].ClassList);
        Assert.Empty(page.FindAll("[role=status]"));
    }

    [Fact]
    public void The_mails_decline_link_preselects_not_this_time_and_still_waits_for_the_tap()
    {
        var page = View(preselected: "decline");

        var buttons = page.FindAll("form button[type=submit]");
        Assert.Contains("primary", buttons[1].ClassList);
        Assert.DoesNotContain("primary", buttons[0].ClassList);
        Assert.Contains("„Diesmal nicht“ gewählt", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mails_accept_link_preselects_ill_take_it_and_an_unknown_answer_preselects_nothing()
    {
        Assert.Contains("„Ich übernehme das“ gewählt", View(preselected: "accept").Find("[role=status]").TextContent, StringComparison.Ordinal);
        Assert.Empty(View(preselected: "yes-please").FindAll("[role=status]"));
    }

    [Fact]
    public void Taken_thanks_and_links_to_my_shifts()
    {
        var page = View(new InvitationOutcome(InvitationResult.Taken));

        Assert.Equal("Du bist eingetragen", page.Find("h1").TextContent);
        Assert.Contains("Der Platz gehört dir", page.Find(".notice.success").TextContent, StringComparison.Ordinal);
        Assert.Equal("/me/shifts", page.Find("a.button").GetAttribute("href"));
        Assert.Empty(page.FindAll("form"));
    }

    [Fact]
    public void A_full_shift_says_someone_was_quicker_and_offers_the_shifts_waitlist()
    {
        var page = View(new InvitationOutcome(InvitationResult.Full, ShiftId));

        Assert.Equal("Jemand war schneller", page.Find("h1").TextContent);
        Assert.Contains("Warteliste", page.Find(".notice.warning").TextContent, StringComparison.Ordinal);
        var link = page.Find("a.button");
        Assert.Equal($"/shifts/{ShiftId}", link.GetAttribute("href"));
        Assert.Equal("Auf die Warteliste", link.TextContent);
    }

    [Theory]
    [InlineData(InvitationResult.Declined, "Danke für deine Antwort", "/shifts")]
    [InlineData(InvitationResult.Expired, "Diese Einladung ist abgelaufen", "/shifts")]
    [InlineData(InvitationResult.Answered, "Schon beantwortet", "/me/shifts")]
    [InlineData(InvitationResult.NotFound, "Diese Einladung finden wir nicht", "/shifts")]
    [InlineData(InvitationResult.Overlap, "Du hast da schon eine Schicht", "/me/shifts")]
    public void Every_other_outcome_is_said_in_words_with_a_way_on_and_no_second_answer(InvitationResult result, string title, string link)
    {
        var page = View(new InvitationOutcome(result));

        Assert.Equal(title, page.Find("h1").TextContent);
        Assert.Equal(link, page.Find("a.button").GetAttribute("href"));
        Assert.Empty(page.FindAll("form"));
    }

    [Fact]
    public void A_failure_asks_again_with_the_reason()
    {
        var page = View(new InvitationOutcome(InvitationResult.Failed, Problem: Problem(503, ApiProblem.Unavailable)));

        Assert.NotEmpty(page.Find(".notice.error[role=alert]").TextContent);
        Assert.Equal(2, page.FindAll("form button").Count);
    }

    [Fact]
    public void English_speakers_read_English()
    {
        Speak("en");

        Assert.Equal(["I'll take it", "Not this time"], View().FindAll("form button").Select(b => b.TextContent));
        Assert.Equal("Someone was quicker", View(new InvitationOutcome(InvitationResult.Full, ShiftId)).Find("h1").TextContent);
        Assert.Equal("My shifts", View(new InvitationOutcome(InvitationResult.Taken)).Find("a.button").TextContent);
    }

    [Theory]
    [InlineData(true, HttpStatusCode.Created, "{}", InvitationResult.Taken)]
    [InlineData(true, HttpStatusCode.OK, "{}", InvitationResult.Taken)]
    [InlineData(false, HttpStatusCode.NoContent, "", InvitationResult.Declined)]
    [InlineData(true, HttpStatusCode.Conflict, """{"code":"shift-full","waitlistAvailable":true,"shiftId":"0193a1b2-0000-7000-8000-000000000001"}""", InvitationResult.Full)]
    [InlineData(true, HttpStatusCode.Conflict, """{"code":"overlapping-claim","conflictingShiftId":"0193a1b2-0000-7000-8000-000000000001"}""", InvitationResult.Overlap)]
    [InlineData(true, HttpStatusCode.Conflict, """{"code":"invitation-answered"}""", InvitationResult.Answered)]
    [InlineData(false, HttpStatusCode.Gone, """{"code":"invitation-expired"}""", InvitationResult.Expired)]
    [InlineData(true, HttpStatusCode.NotFound, """{"code":"invitation-not-found"}""", InvitationResult.NotFound)]
    [InlineData(true, HttpStatusCode.BadGateway, "", InvitationResult.Failed)]
    public async Task The_answer_is_posted_with_the_token_alone_and_the_APIs_reply_becomes_the_outcome(bool accept, HttpStatusCode status, string json, InvitationResult expected)
    {
        var gateway = new Gateway(status, json);
        var api = new ShiftsApi(new HttpClient(gateway) { BaseAddress = new Uri("http://gateway.test/") }, new HttpContextAccessor());

        var outcome = InvitationOutcome.From(await api.AnswerInvitationAsync(Token, accept), accept);

        Assert.Equal(expected, outcome.Result);
        Assert.Equal($"POST /api/invitations/{(accept ? "accept" : "decline")} {{\"token\":\"{Token}\"}} auth=False", Assert.Single(gateway.Asked));
        if (expected is InvitationResult.Full or InvitationResult.Overlap)
        {
            Assert.Equal(ShiftId, outcome.ShiftId);
        }
    }

    private sealed class Gateway(HttpStatusCode status, string json) : HttpMessageHandler
    {
        public List<string> Asked { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked.Add($"{request.Method} {request.RequestUri!.AbsolutePath} {await request.Content!.ReadAsStringAsync(cancellationToken)} auth={request.Headers.Authorization is not null}");
            return new HttpResponseMessage(status)
            {
                Content = new StringContent(json, Encoding.UTF8, status >= HttpStatusCode.BadRequest ? "application/problem+json" : "application/json"),
            };
        }
    }
}
