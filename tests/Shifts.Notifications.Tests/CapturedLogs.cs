using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Shifts.Notifications.Tests;

/// <summary>
/// The service's log lines, kept in memory: a test can wait for "Skipped duplicate ... {id}" and so
/// know a redelivered message was seen and ignored, instead of sleeping and hoping.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public async Task WaitForAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!_lines.Any(match))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The expected log line never came.");
            }

            await Task.Delay(50);
        }
    }

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
