using System.Globalization;
using Shifts.Demo;
using Shifts.Demo.Api;
using Shifts.Demo.Plan;

// The demo loader: `load` fills an empty system with the district association of the README's demo
// through the gateway; `login` prints an access token for a person (by the link mailed to them).
const string Usage = """
    usage: Shifts.Demo load  [--gateway URL] [--inbox URL] [--admin EMAIL] [--today YYYY-MM-DD]
           Shifts.Demo login EMAIL [--gateway URL] [--inbox URL]

      --gateway  the gateway (default http://localhost:8080)
      --inbox    smtp4dev's web inbox, where login links arrive (default http://127.0.0.1:5080)
      --admin    the platform admin's address (default $SHIFTS_ADMIN_EMAIL or admin@example.org)
      --today    the day the demo's dates count from (default: today in Europe/Berlin)
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["--gateway"] = "http://localhost:8080",
    ["--inbox"] = "http://127.0.0.1:5080",
    ["--admin"] = Environment.GetEnvironmentVariable("SHIFTS_ADMIN_EMAIL") is { Length: > 0 } admin ? admin : "admin@example.org",
};
var positional = new List<string>();
for (var i = 1; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal))
    {
        if (!options.ContainsKey(args[i]) && args[i] != "--today" || i + 1 >= args.Length)
        {
            Console.Error.WriteLine($"demo: unknown option or missing value: {args[i]}\n{Usage}");
            return 2;
        }

        options[args[i]] = args[++i];
    }
    else
    {
        positional.Add(args[i]);
    }
}

if (!Uri.TryCreate(options["--gateway"], UriKind.Absolute, out var gatewayUri) || !Uri.TryCreate(options["--inbox"], UriKind.Absolute, out var inboxUri))
{
    Console.Error.WriteLine("demo: --gateway and --inbox must be absolute URLs, e.g. http://localhost:8080");
    return 2;
}

using var gatewayHttp = new HttpClient { BaseAddress = gatewayUri, Timeout = TimeSpan.FromSeconds(30) };
using var inboxHttp = new HttpClient { BaseAddress = inboxUri, Timeout = TimeSpan.FromSeconds(30) };
var gateway = new GatewayClient(gatewayHttp);
var logins = new Logins(gateway, new MailInbox(inboxHttp));
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    switch (args[0])
    {
        case "load" when positional.Count == 0:
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
            var calendar = options.TryGetValue("--today", out var today)
                ? new LocalCalendar(zone, DateOnly.ParseExact(today, "yyyy-MM-dd", CultureInfo.InvariantCulture))
                : LocalCalendar.ForToday(zone, DateTimeOffset.UtcNow);
            var plan = DistrictAssociation.Create(calendar);
            var summary = await new DemoLoader(gateway, logins, Console.Out).LoadAsync(plan, options["--admin"], cancellation.Token);
            Console.WriteLine(summary.AlreadyLoaded
                ? $"    demo data already loaded ({DemoPlan.MainOrg} exists); ./shifts demo --reset loads it afresh"
                : $"    demo loaded: {summary.Organisations} organisations, {summary.People} people, {summary.Events} events, {summary.Shifts} shifts, "
                  + $"{summary.Claims} claims, {summary.Waiting} waiting; {summary.Full} shifts full, {summary.ShortOfMinimum} short of their minimum");
            return 0;
        }

        case "login" when positional.Count == 1:
            Console.WriteLine(await logins.LogInAsync(positional[0], cancellation.Token));
            return 0;

        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (DemoException ex)
{
    Console.Error.WriteLine($"demo: {ex.Message}");
    return 1;
}
catch (FormatException)
{
    Console.Error.WriteLine("demo: --today must be a date like 2026-06-13");
    return 2;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("demo: interrupted");
    return 130;
}
