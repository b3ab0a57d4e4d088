using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Shifts.EndToEnd.Tests.Browser;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright) on the page as the browser shows it now: WCAG 2.x A and AA and
/// best practices. A violation of impact serious or critical fails the test, listed one per line with
/// its rule, the elements and what axe says is wrong; minor and moderate ones are returned for a look.
/// </summary>
public static class Accessibility
{
    private static readonly string[] Failing = ["serious", "critical"];

    public static async Task<IReadOnlyList<AxeResultItem>> AssertNoSeriousViolationsAsync(this IPage page, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        });
        var serious = result.Violations.Where(v => Failing.Contains(v.Impact)).ToList();
        Assert.True(serious.Count == 0, $"axe found {serious.Count} serious or critical violation(s) on {what ?? page.Url}:\n{Describe(serious)}");
        return result.Violations;
    }

    /// <summary>Violations as a person reads them: impact, rule and help, then each element with axe's reasons.</summary>
    public static string Describe(IEnumerable<AxeResultItem> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            text.Append("- [").Append(violation.Impact).Append("] ").Append(violation.Id).Append(": ").Append(violation.Help).Append(" (").Append(violation.HelpUrl).AppendLine(")");
            foreach (var node in violation.Nodes.Take(5))
            {
                text.Append("    at ").Append(node.Target).Append("  ").AppendLine(node.Html.Length > 160 ? node.Html[..160] + "…" : node.Html);
                foreach (var check in node.Any.Concat(node.All).Concat(node.None))
                {
                    text.Append("       ").AppendLine(check.Message);
                }
            }

            if (violation.Nodes.Length > 5)
            {
                text.Append("    … and ").Append(violation.Nodes.Length - 5).AppendLine(" more");
            }
        }

        return text.ToString();
    }
}
