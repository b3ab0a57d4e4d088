using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;

namespace Shifts.Volunteers.Members;

/// <summary>A person as the login and membership features need them.</summary>
public sealed record Volunteer(Guid Id, string Email, string Name, string Locale);

public static class VolunteerRows
{
    /// <summary>Addresses compare case-insensitively (the unique index is on lower(email)).</summary>
    public static async Task<Volunteer?> FindByEmailAsync(NpgsqlTransaction tx, string email, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, email, name, locale FROM volunteers WHERE lower(email) = lower(@email)", tx.Connection, tx);
        command.Parameters.AddWithValue("email", email.Trim());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Volunteer(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3))
            : null;
    }

    public static async Task<Volunteer?> FindByIdAsync(NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await using var command = new NpgsqlCommand("SELECT id, email, name, locale FROM volunteers WHERE id = @id", tx.Connection, tx);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Volunteer(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3))
            : null;
    }

    /// <summary>
    /// The person with this address, registered (and announced with VolunteerRegistered) when new.
    /// An existing person keeps their own name and language: whoever types an address in does not
    /// get to rename its owner. Safe against two requests registering one address at once.
    /// </summary>
    public static async Task<(Volunteer Volunteer, bool Created)> FindOrRegisterAsync(
        NpgsqlTransaction tx, string email, string name, string locale, CancellationToken cancellationToken)
    {
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO volunteers (id, email, name, locale) VALUES (@id, @email, @name, @locale)
            ON CONFLICT ((lower(email))) DO NOTHING
            RETURNING id
            """, tx.Connection, tx))
        {
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("email", email.Trim());
            insert.Parameters.AddWithValue("name", name.Trim());
            insert.Parameters.AddWithValue("locale", locale);
            if (await insert.ExecuteScalarAsync(cancellationToken) is Guid id)
            {
                var created = new Volunteer(id, email.Trim(), name.Trim(), locale);
                await Outbox.EnqueueAsync(tx, new VolunteerRegistered(id, created.Name, created.Email, created.Locale), cancellationToken);
                return (created, true);
            }
        }

        var existing = await FindByEmailAsync(tx, email, cancellationToken)
            ?? throw new InvalidOperationException("The address conflicted but no volunteer has it.");
        return (existing, false);
    }
}
