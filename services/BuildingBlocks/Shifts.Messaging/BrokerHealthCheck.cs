using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Shifts.Messaging;

/// <summary>
/// Is RabbitMQ reachable right now? MassTransit's own bus check only notices a lost connection on
/// endpoints that consume (MassTransit issue #2716), but every Shifts service publishes through the
/// outbox, so readiness also opens and closes an AMQP connection. The answer is kept for a few
/// seconds so frequent probes cost one connection, not one each.
/// </summary>
internal sealed class BrokerHealthCheck(BrokerAddress broker, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < CacheFor)
            {
                return last.Result;
            }

            var result = await ProbeAsync(cancellationToken);
            _last = (time.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = broker.Uri,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "shifts-readiness-probe",
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await connection.CloseAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"RabbitMQ at {broker.Uri.Host}:{broker.Uri.Port} is not reachable: {ex.GetBaseException().Message}");
        }
    }
}

/// <summary>The broker address the service was configured with.</summary>
internal sealed record BrokerAddress(Uri Uri);
