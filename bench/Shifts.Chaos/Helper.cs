namespace Shifts.Chaos;

/// <summary>A helper of the chaos organisation: created through the public API, signed in with a token the volunteers service's key signs.</summary>
public sealed record Helper(Guid Id, string Name, string Email, HttpClient Client);
