namespace Shifts.Demo.Plan;

/// <summary>
/// Chooses who claims which shift, the same way on every load: people who may (qualification,
/// organisation), who are free then (a person never holds two overlapping shifts, so no claim of
/// the demo is refused as overlapping), fewest shifts first. Newcomer-friendly shifts go half to
/// newcomers, half to experienced people beside them; other shifts only to experienced people.
/// </summary>
public sealed class StaffingPicker(IReadOnlyList<DemoPerson> people)
{
    private readonly Dictionary<string, List<(DateTimeOffset Start, DateTimeOffset End)>> _busy = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _claims = new(StringComparer.OrdinalIgnoreCase);
    private int _rotation;

    /// <summary>Who claims the shift: exactly <paramref name="count"/> people, or the plan is wrong.</summary>
    public IReadOnlyList<DemoPerson> Claimants(string org, DemoShift shift, DateTimeOffset start, DateTimeOffset end, int count)
    {
        var chosen = Choose(org, shift, start, end, count, [], "claim");
        foreach (var person in chosen)
        {
            _claims[person.Email] = _claims.GetValueOrDefault(person.Email) + 1;
        }

        return chosen;
    }

    /// <summary>Who then waits for a place: free at the time too, so a promotion never overlaps.</summary>
    public IReadOnlyList<DemoPerson> Waiting(string org, DemoShift shift, DateTimeOffset start, DateTimeOffset end, int count, IReadOnlyList<DemoPerson> holders) =>
        Choose(org, shift, start, end, count, holders.Select(h => h.Email).ToHashSet(StringComparer.OrdinalIgnoreCase), "wait for");

    private List<DemoPerson> Choose(string org, DemoShift shift, DateTimeOffset start, DateTimeOffset end, int count, HashSet<string> excluded, string what)
    {
        var rotation = _rotation++;
        var candidates = people
            .Select((person, index) => (person, index))
            .Where(c => c.person.Org == org && c.person.Claims && !excluded.Contains(c.person.Email))
            .Where(c => shift.Qualification is null || c.person.Qualifications.Contains(shift.Qualification))
            .Where(c => shift.NewcomerFriendly || !c.person.Newcomer)
            .Where(c => IsFree(c.person.Email, start, end))
            .OrderBy(c => _claims.GetValueOrDefault(c.person.Email))
            .ThenBy(c => (c.index + (rotation * 7)) % people.Count)
            .Select(c => c.person)
            .ToList();

        var chosen = new List<DemoPerson>();
        if (shift.NewcomerFriendly)
        {
            chosen.AddRange(candidates.Where(p => p.Newcomer).Take((count + 1) / 2));
        }

        chosen.AddRange(candidates.Where(p => !chosen.Contains(p)).Take(count - chosen.Count));
        if (chosen.Count < count)
        {
            throw new InvalidOperationException(
                $"The demo plan wants {count} people to {what} '{shift.Title}' at {start:yyyy-MM-dd HH:mm} in {org}, but only {chosen.Count} are free and may.");
        }

        foreach (var person in chosen)
        {
            if (!_busy.TryGetValue(person.Email, out var busy))
            {
                _busy[person.Email] = busy = [];
            }

            busy.Add((start, end));
        }

        return chosen;
    }

    private bool IsFree(string email, DateTimeOffset start, DateTimeOffset end) =>
        !_busy.TryGetValue(email, out var busy) || busy.All(b => b.End <= start || end <= b.Start);
}
