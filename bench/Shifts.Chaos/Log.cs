namespace Shifts.Chaos;

/// <summary>Timestamped progress lines.</summary>
public static class Log
{
    public static void Line(string text) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");
}
