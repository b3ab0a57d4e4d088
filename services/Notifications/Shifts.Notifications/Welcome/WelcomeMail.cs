using MassTransit;
using Shifts.Contracts;
using Shifts.Notifications.Mail;
using Shifts.Notifications.Recipients;
using Shifts.Notifications.ShiftMail;

namespace Shifts.Notifications.Welcome;

/// <summary>
/// The welcome a person gets on joining an organisation as a helper, listing the next
/// newcomer-friendly open shifts. Those are the events service's to know: they are asked for over
/// the bus (request/response), and if no answer comes in time the welcome goes out without them —
/// a welcome late or never is worse than one without a list.
/// </summary>
public sealed partial class WelcomeMail(IRequestClient<NewcomerShiftsRequested> shifts, TimeProvider time, IConfiguration configuration, ILogger<WelcomeMail> logger)
{
    private const int ListLength = 5;

    private readonly AppLinks _links = AppLinks.From(configuration);

    /// <summary>The next newcomer-friendly shifts, or null when the events service did not answer in time.</summary>
    public async Task<IReadOnlyList<ShiftDetails>?> NewcomerShiftsAsync(string org, CancellationToken cancellationToken)
    {
        var timeout = configuration.GetValue("Welcome:NewcomerShiftsTimeout", TimeSpan.FromSeconds(5));
        try
        {
            var response = await shifts.GetResponse<NewcomerShiftsListed>(
                new NewcomerShiftsRequested(org, time.GetUtcNow(), ListLength), cancellationToken, RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
            return response.Message.Shifts.Take(ListLength).ToList();
        }
        catch (RequestTimeoutException)
        {
            LogNoAnswer(logger, org, timeout.TotalSeconds);
            return null;
        }
    }

    public OutgoingMail Render(Guid messageId, Recipient recipient, Organisation org, IReadOnlyList<ShiftDetails>? newcomerShifts)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(org);
        var language = recipient.Language;
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["name"] = recipient.Name,
            ["org"] = org.Name,
            ["openShiftsLink"] = _links.OpenShifts(org.Slug),
            ["settingsLink"] = _links.Settings(),
        };
        values["shifts"] = newcomerShifts is { Count: > 0 }
            ? MailTemplates.Block("welcome-shifts", language, new Dictionary<string, object>
            {
                ["items"] = MailBlock.Join(newcomerShifts.Select(s => ShiftValues.Item(s, org, language, _links))),
            })
            : MailTemplates.Block("welcome-no-shifts", language, values);
        var mail = MailTemplates.Render(MailKind.Welcome, language, values);
        return new OutgoingMail($"{messageId:N}:{recipient.Id:N}:{MailKind.Welcome}", MailKind.Welcome, recipient.Id, recipient.Email, language, mail.Subject, mail.Text, mail.Html)
        {
            Org = org.Slug,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No newcomer shifts of {Org} within {Seconds} s (is the events service answering NewcomerShiftsRequested?); welcoming without the list")]
    private static partial void LogNoAnswer(ILogger logger, string org, double seconds);
}
