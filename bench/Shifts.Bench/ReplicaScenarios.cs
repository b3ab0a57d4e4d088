using Shifts.Bench.Load;

namespace Shifts.Bench;

public sealed partial class BenchRun
{
    /// <summary>
    /// 7. The claim rush against one events replica and against two (the same database and broker),
    /// straight to the replicas so the gateway is not part of it (scenario 3 measures that hop).
    /// The two take turns in two rounds, each with half of the helpers, on shifts of their own, so
    /// whatever else the machine does meanwhile falls on both alike; the second replica gets a
    /// warm-up round of its own first.
    /// </summary>
    private async Task TwoReplicasAsync(ScenarioResult result)
    {
        // The first replica has served every scenario so far; the second only the setup's reads.
        await WarmUpAsync(_replicaWarmUpShifts, _ => _sut.Events2, "the second replica");
        const int Rounds = 2;
        var order = Shuffled(_helpers.Count);
        var perRound = _helpers.Count / Rounds;
        var one = (Outcomes: new List<Outcome>(), Seconds: 0.0);
        var two = (Outcomes: new List<Outcome>(), Seconds: 0.0);
        for (var round = 0; round < Rounds; round++)
        {
            var offset = round * perRound;
            (int Helper, int Shift) Pick(int i) => (order[offset + i], (offset + i) % _oneReplicaShifts.Count);

            var (outcomes, seconds) = await LoadRunner.ClosedLoopAsync(settings.Clients, perRound, null,
                Claims(i => (_helpers[Pick(i).Helper], _oneReplicaShifts[Pick(i).Shift]), target: _ => _sut.Events));
            one.Outcomes.AddRange(outcomes);
            one.Seconds += seconds;
            await _sut.WaitForQuietAsync(TimeSpan.FromSeconds(120));

            // The same client count, alternating between the replicas request by request.
            (outcomes, seconds) = await LoadRunner.ClosedLoopAsync(settings.Clients, perRound, null,
                Claims(i => (_helpers[Pick(i).Helper], _twoReplicaShifts[Pick(i).Shift]), target: i => i % 2 == 0 ? _sut.Events : _sut.Events2));
            two.Outcomes.AddRange(outcomes);
            two.Seconds += seconds;
            await _sut.WaitForQuietAsync(TimeSpan.FromSeconds(120));
        }

        var single = LoadResult.From("closed", settings.Clients, null, one.Outcomes, one.Seconds, o => o.Status == 201);
        var both = LoadResult.From("closed", settings.Clients, null, two.Outcomes, two.Seconds, o => o.Status == 201);
        Log($"one replica: {single.SuccessesPerSecond} claims/s, {single.Latency.Short}; two replicas: {both.SuccessesPerSecond} claims/s, {both.Latency.Short} ({Rounds} alternating rounds)");

        var ratio = single.SuccessesPerSecond > 0 ? both.SuccessesPerSecond / single.SuccessesPerSecond : 0;
        result.Figures["oneReplica"] = Figures(single);
        result.Figures["twoReplicas"] = Figures(both);
        result.Figure = $"two replicas {Rate(both.SuccessesPerSecond, "claims/s")} (p99 {Ms(both.Latency.P99)})";
        result.Limit = $"one replica {Rate(single.SuccessesPerSecond, "claims/s")} (p99 {Ms(single.Latency.P99)})";
        result.Ratio = Math.Round(ratio, 2);
        result.Goal = "every claim 201 on both; the ratio shows what a second replica adds on this machine";
        result.Met = single.ByStatus.Keys.All(k => k == "201") && both.ByStatus.Keys.All(k => k == "201");
    }
}
