using Dapper;
using Npgsql;
using Shifts.Contracts;
using Shifts.Messaging.Outbox;

namespace Shifts.Volunteers.People;

/// <summary>A person as the login and membership features need them.</summary>
public sealed record Volunteer(Guid Id, string Email, string Name, string Locale)
{
    /// <summary>For Dapper, which fills rows by property (see DapperMapping).</summary>
    private Volunteer()
        : this(default!, default!, default!, default!)
    {
    }
}

public static class VolunteerRows
{
    private const string Columns = "id, email, name, locale";

    /// <summary>Addresses compare case-insensitively (the unique index is on lower(email)).</summary>
    public static async Task<Volunteer?> FindByEmailAsync(NpgsqlTransaction tx, string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(email);
        return await tx.Connection!.QuerySingleOrDefaultAsync<Volunteer>(new CommandDefinition(
            $"SELECT {Columns} FROM volunteers WHERE lower(email) = lower(@email)", new { email = email.Trim() }, tx, cancellationToken: cancellationToken));
    }

    public static async Task<Volunteer?> FindByIdAsync(NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return await tx.Connection!.QuerySingleOrDefaultAsync<Volunteer>(new CommandDefinition(
            $"SELECT {Columns} FROM volunteers WHERE id = @id", new { id }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The person with this address, registered (and announced with VolunteerRegistered) when new.
    /// An existing person keeps their own name and language: whoever types an address in does not
    /// get to rename its owner. Safe against two requests registering one address at once.
    /// </summary>
    public static async Task<(Volunteer Volunteer, bool Created)> FindOrRegisterAsync(
        NpgsqlTransaction tx, string email, string name, string locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(name);
        var candidate = new Volunteer(Guid.CreateVersion7(), email.Trim(), name.Trim(), locale);
        var inserted = await tx.Connection!.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            INSERT INTO volunteers (id, email, name, locale) VALUES (@Id, @Email, @Name, @Locale)
            ON CONFLICT ((lower(email))) DO NOTHING
            RETURNING id
            """, candidate, tx, cancellationToken: cancellationToken));
        if (inserted is not null)
        {
            await Outbox.EnqueueAsync(tx, new VolunteerRegistered(candidate.Id, candidate.Name, candidate.Email, candidate.Locale), cancellationToken);
            return (candidate, true);
        }

        var existing = await FindByEmailAsync(tx, email, cancellationToken)
            ?? throw new InvalidOperationException("The address conflicted but no volunteer has it.");
        return (existing, false);
    }
}
