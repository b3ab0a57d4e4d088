namespace Shifts.Contracts;

/// <summary>An organisation recognises a new qualification (its code and name), before anyone holds it.</summary>
public sealed record QualificationAdded(string Org, string Code, string Name);
