using System.Net;
using System.Text.Json;
using Shifts.Testing;

namespace Shifts.EndToEnd.Tests;

/// <summary>Assertions on gateway answers shared by the end-to-end tests.</summary>
public static class Http
{
    /// <summary>Asserts the status (naming the request and the body when it differs) and returns the JSON body, if any.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpStatusCode wanted, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == wanted, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}, wanted {(int)wanted}: {text}");
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    /// <summary>Replicas follow through RabbitMQ: retries until the answer is the one wanted (or 20 s pass), and returns the last answer.</summary>
    public static async Task<HttpResponseMessage> EventuallyAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode wanted)
    {
        ArgumentNullException.ThrowIfNull(send);
        try
        {
            return await Eventually.Async(async () =>
            {
                var response = await send();
                if (response.StatusCode == wanted)
                {
                    return response;
                }

                response.Dispose();
                return null;
            }, TimeSpan.FromSeconds(20), $"the answer {(int)wanted}");
        }
        catch (TimeoutException)
        {
            // One more answer for the caller to assert on, so its failure shows what was answered instead.
            return await send();
        }
    }
}
