using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Shifts.Testing;

namespace Shifts.Notifications.Tests;

/// <summary>
/// The service's log lines, kept in memory: a test can wait for "Skipped duplicate ... {id}" and so
/// know a redelivered message was seen and ignored, instead of sleeping and hoping.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public Task WaitForAsync(Func<string, bool> match, TimeSpan? timeout = null) =>
        Eventually.Async(() => Task.FromResult(_lines.Any(match)), timeout ?? TimeSpan.FromSeconds(20), "the expected log line");

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._lines.Enqueue(formatter(state, exception));
            }
        }
    }
}
