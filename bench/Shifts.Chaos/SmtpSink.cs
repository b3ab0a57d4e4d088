using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Chaos;

public sealed record SinkMail(string Id, string Subject, IReadOnlyList<string> To, DateTimeOffset Received);

/// <summary>What reached the SMTP sink, read from smtp4dev's API (the chaos instance keeps every mail).</summary>
public static class SmtpSink
{
    public static async Task<IReadOnlyList<SinkMail>> ReadAsync(HttpClient smtp)
    {
        var mails = new List<SinkMail>();
        for (var page = 1; ; page++)
        {
            var json = await smtp.GetFromJsonAsync<JsonElement>($"api/messages?page={page}&pageSize=1000");
            var items = json.ValueKind == JsonValueKind.Array ? json : json.GetProperty("results");
            foreach (var item in items.EnumerateArray())
            {
                mails.Add(new SinkMail(
                    item.GetProperty("id").GetString()!,
                    item.TryGetProperty("subject", out var subject) ? subject.GetString() ?? "" : "",
                    item.GetProperty("to").EnumerateArray().Select(t => t.GetString() ?? "").ToList(),
                    item.GetProperty("receivedDate").GetDateTimeOffset()));
            }

            if (json.ValueKind == JsonValueKind.Array || items.GetArrayLength() < 1000)
            {
                return mails;
            }
        }
    }
}
