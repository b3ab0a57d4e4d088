using Npgsql;
using Polly;
using Polly.Registry;

namespace Shifts.ServiceDefaults.Database;

/// <summary>
/// Runs a unit of work in its own connection and transaction, retrying the whole unit when
/// PostgreSQL reports a transient fault (a dropped connection, a failover, a serialization or
/// deadlock abort). Retrying the whole transaction is what makes that safe: nothing of a failed
/// attempt was committed.
/// </summary>
public sealed class Transactions(NpgsqlDataSource dataSource, ResiliencePipelineProvider<string> pipelines)
{
    private readonly ResiliencePipeline _retry = pipelines.GetPipeline(ServiceDatabase.TransientPipeline);

    public async Task<T> RunAsync<T>(Func<NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return await _retry.ExecuteAsync(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            var result = await work(transaction, token);
            await CommitWakeup.CommitAndWakeAsync(transaction, token);
            return result;
        }, cancellationToken);
    }

    public Task RunAsync(Func<NpgsqlTransaction, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync<bool>(async (transaction, token) =>
        {
            await work(transaction, token);
            return true;
        }, cancellationToken);
}
