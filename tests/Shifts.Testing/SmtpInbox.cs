using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shifts.Testing;

/// <summary>A mail as smtp4dev saw it.</summary>
public sealed record ReceivedMail(string Id, string Subject, IReadOnlyList<string> To, DateTimeOffset ReceivedDate);

/// <summary>
/// Reads what reached the SMTP sink (smtp4dev's HTTP API). The sink is shared by every test in
/// the run, so tests look for mails to addresses of their own.
/// </summary>
public sealed class SmtpInbox(Uri api) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = api };

    public static async Task<SmtpInbox> ConnectAsync() => new((await TestServers.GetAsync()).SmtpApi);

    public async Task<IReadOnlyList<ReceivedMail>> MailsToAsync(string address)
    {
        // smtp4dev narrows by address itself (searchTerms matches the recipients too); the
        // exact match on the recipients below stays, as the search also looks at other fields.
        var page = await _http.GetFromJsonAsync<JsonElement>($"api/messages?searchTerms={Uri.EscapeDataString(address)}&pageSize=5000");
        var items = page.ValueKind == JsonValueKind.Array ? page : page.GetProperty("results");
        var mails = items.Deserialize<List<MailSummary>>(JsonSerializerOptions.Web) ?? [];
        return mails
            .Where(m => m.To.Any(to => to.Contains(address, StringComparison.OrdinalIgnoreCase)))
            .Select(m => new ReceivedMail(m.Id, m.Subject ?? "", m.To, m.ReceivedDate))
            .ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> mails to the address arrived, then returns them all.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForMailsToAsync(string address, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var mails = await MailsToAsync(address);
            if (mails.Count >= count || DateTime.UtcNow > deadline)
            {
                return mails;
            }

            await Task.Delay(200);
        }
    }

    public async Task<string> PlainTextAsync(string id) => await _http.GetStringAsync($"api/messages/{id}/plaintext");

    public async Task<string> SourceAsync(string id) => await _http.GetStringAsync($"api/messages/{id}/source");

    /// <summary>The message exactly as it arrived over SMTP (RFC 5322, all MIME parts), e.g. to read attachments with MimeKit.</summary>
    public async Task<byte[]> RawAsync(string id) => await _http.GetByteArrayAsync($"api/messages/{id}/raw");

    public void Dispose() => _http.Dispose();

    private sealed record MailSummary(
        string Id,
        string? Subject,
        [property: JsonPropertyName("to")] List<string> To,
        DateTimeOffset ReceivedDate);
}
