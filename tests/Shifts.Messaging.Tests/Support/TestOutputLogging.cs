using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Shifts.Messaging.Tests.Support;

/// <summary>Sends a test host's log to the test's output, so a failing test shows what the relay and the bus said.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output, string service) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, service, categoryName);

    public void Dispose()
    {
    }

    private sealed class TestOutputLogger(ITestOutputHelper output, string service, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{service}] {logLevel} {category}: {formatter(state, exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test has ended while the host was still stopping; nobody reads this line.
            }
        }
    }
}
