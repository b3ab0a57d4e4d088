using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shifts.Chaos;

/// <summary>
/// The rules every scenario checks its answers against (no 500, 503s carry Retry-After, claims
/// resume after the repair), and the figures a scenario reports.
/// </summary>
public static class FaultRules
{
    public static IEnumerable<Check> NoInternalErrors(IReadOnlyList<Answer> answers, FaultWindow window)
    {
        var internalErrors = answers.Count(a => a.Status == 500);
        yield return new("no 500 answer", internalErrors == 0, $"{internalErrors} answers 500");
    }

    public static IEnumerable<Check> RabbitMqRules(IReadOnlyList<Answer> answers, FaultWindow window)
    {
        var during = answers.Where(a => a.Kind == "claim" && a.At >= window.Start && a.At <= window.End).ToList();
        var confirmed = during.Count(a => a.Status is 201);
        yield return new("claims kept succeeding while RabbitMQ was down", confirmed > 0, $"{confirmed} of {during.Count} claims during the outage confirmed");
        var failed = answers.Count(a => a.Status is 0 or >= 500);
        yield return new("no request failed because of the broker (no 5xx, no dropped connection)", failed == 0, $"{failed} answers 5xx or none");
    }

    public static IEnumerable<Check> PostgresRules(IReadOnlyList<Answer> answers, FaultWindow window)
    {
        var during = answers.Where(a => a.At >= window.Start && a.At <= window.End).ToList();
        var unavailable = during.Where(a => a.Status == 503).ToList();
        yield return new("requests during the outage were answered 503", unavailable.Count > 0, $"{unavailable.Count} of {during.Count} answers during the outage were 503");
        var wrong = answers.Where(a => a.Status is 0 or 500 or 502 or 504).GroupBy(a => $"{a.Kind} {a.Status}").Select(g => $"{g.Key}: {g.Count()}").ToList();
        yield return new("no 500, 502, 504 or dropped request", wrong.Count == 0, wrong.Count == 0 ? "none" : string.Join(", ", wrong));
        var withoutRetryAfter = answers.Count(a => a.Status == 503 && !a.RetryAfter);
        yield return new("every 503 carries Retry-After", withoutRetryAfter == 0, $"{withoutRetryAfter} without");
        var recovered = answers.Any(a => a.Kind == "claim" && a.Status == 201 && a.At > window.End);
        yield return new("claims succeed again after the restart, without restarting services", recovered, recovered ? "yes" : "no claim confirmed after the restart");
    }

    public static Figures FiguresOf(IReadOnlyList<Answer> answers, FaultWindow window, TimeSpan? settled)
    {
        var claims = answers.Where(a => a.Kind == "claim").ToList();
        var during = claims.Where(a => window.End > default(DateTime) && a.At >= window.Start && a.At <= window.End).ToList();
        var unavailable = answers.Where(a => a.Status == 503).ToList();
        var firstAfter = claims.Where(a => a.Status == 201 && window.End > default(DateTime) && a.At > window.End).Select(a => (double?)(a.At - window.End).TotalSeconds).Min();
        return new Figures(
            claims.Count,
            claims.Count(a => a.Status == 201),
            claims.Count(a => a.Status == 409),
            during.Count,
            during.Count(a => a.Status == 201),
            unavailable.Count,
            unavailable.Count(a => a.RetryAfter),
            unavailable.Count == 0 ? 0 : Math.Round(unavailable.Max(a => a.Millis)),
            answers.Count(a => a.Status == 500),
            answers.Count(a => a.Status is 502 or 504),
            answers.Count(a => a.Status == 0),
            window.End > window.Start ? Math.Round((window.End - window.Start).TotalSeconds, 1) : 0,
            firstAfter is null ? null : Math.Round(firstAfter.Value, 1),
            settled is null ? null : Math.Round(settled.Value.TotalSeconds, 1));
    }
}
