namespace Shifts.Demo.Api;

/// <summary>Something the demo needed did not work; the message is one line that says what and why.</summary>
public sealed class DemoException(string message) : Exception(message);
