using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Shifts.ServiceDefaults;

/// <summary>
/// Settings found wrong while the app is being configured. Throwing there would escape Program.cs
/// as a stack trace, so they are collected and reported by the first hosted service to start, where
/// <see cref="ServiceRunner.RunServiceAsync"/> turns them into a one-line cause.
/// </summary>
public sealed class ConfigurationProblems
{
    private readonly List<string> _problems = [];

    public static void Report(IHostApplicationBuilder builder, string problem)
    {
        ArgumentNullException.ThrowIfNull(builder);
        For(builder)._problems.Add(problem);
    }

    internal static ConfigurationProblems For(IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(typeof(ConfigurationProblems), out var existing))
        {
            return (ConfigurationProblems)existing;
        }

        var problems = new ConfigurationProblems();
        builder.Properties[typeof(ConfigurationProblems)] = problems;
        builder.Services.AddSingleton(problems);
        builder.Services.AddHostedService<Check>();
        return problems;
    }

    private sealed class Check(ConfigurationProblems problems) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            problems._problems.Count == 0 ? Task.CompletedTask : throw new StartupException(string.Join("; ", problems._problems));

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
