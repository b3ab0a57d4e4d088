using Npgsql;

namespace Shifts.ServiceDefaults.Database;

/// <summary>
/// Tells a database that is briefly away (restarting, failing over, refusing connections) from
/// every other failure, wherever the Npgsql exception surfaces: thrown directly, or wrapped by
/// the code in between (an InvalidOperationException, an AggregateException, a library's own type).
/// </summary>
public static class DatabaseFaults
{
    public static bool IsTransient(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case NpgsqlException { IsTransient: true }:
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsTransient);
            }
        }

        return false;
    }
}
