using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Shifts.ServiceDefaults;

/// <summary>A configuration or environment problem that stops a service from starting; its message is the one-line cause.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

public static class ServiceRunner
{
    /// <summary>
    /// Runs the app; a start-up failure ends the process with a one-line cause on stderr and exit
    /// code 1 instead of a stack trace (a port in use, PostgreSQL or RabbitMQ unreachable, bad settings).
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        var name = app.Environment.ApplicationName;
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Describe(ex) is { } cause)
        {
            await Console.Error.WriteLineAsync($"{name} cannot start: {cause}");
            return 1;
        }
    }

    public static string? Describe(Exception ex) => ex switch
    {
        StartupException startup => startup.Message,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } } io => io.Message,
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) => io.Message,
        _ when ex.InnerException is { } inner && Describe(inner) is { } innerCause => innerCause,
        _ => null,
    };
}
