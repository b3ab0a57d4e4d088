using Dapper;
using Npgsql;

namespace Shifts.Events.Volunteers;

/// <summary>A person's display name as the replica holds it: the name coordinators see and mails sign with.</summary>
public static class VolunteerNames
{
    public static Task<string?> OfAsync(NpgsqlConnection connection, Guid volunteerId, CancellationToken cancellationToken, NpgsqlTransaction? tx = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT display_name FROM volunteers WHERE id = @id", new { id = volunteerId }, tx, cancellationToken: cancellationToken));
    }
}
