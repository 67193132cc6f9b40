using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Hyperstore.Projector;

/// <summary>The projector's metrics: events applied, dead letters, takeovers, rebuilds, and lag per region.</summary>
public sealed class ProjectorMetrics
{
    public const string MeterName = "Hyperstore.Projector";

    private readonly Counter<long> _applied;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _takeovers;
    private readonly Counter<long> _rebuilds;
    private readonly Histogram<double> _delay;
    private readonly ConcurrentDictionary<string, ProjectionLag> _lag = new(StringComparer.Ordinal);

    public ProjectorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _applied = meter.CreateCounter<long>("hyperstore.projection.events", description: "Events applied to the read model.");
        _deadLetters = meter.CreateCounter<long>("hyperstore.projection.dead_letters", description: "Entries moved to the dead-letter stream.");
        _takeovers = meter.CreateCounter<long>("hyperstore.projection.takeovers", description: "Leases taken by this replica.");
        _rebuilds = meter.CreateCounter<long>("hyperstore.projection.rebuilds", description: "Read model rebuilds done by this replica.");
        _delay = meter.CreateHistogram<double>("hyperstore.projection.delay", unit: "ms",
            description: "Time from an event's append to its projection.");
        meter.CreateObservableGauge("hyperstore.projection.lag_events",
            () => _lag.Select(l => new Measurement<long>(l.Value.Events, new KeyValuePair<string, object?>("region", l.Key))),
            description: "Events in the stream not yet in the read model.");
        // Prometheus appends the unit: hyperstore_projection_lag_milliseconds.
        meter.CreateObservableGauge("hyperstore.projection.lag",
            () => _lag.Select(l => new Measurement<double>(l.Value.Milliseconds, new KeyValuePair<string, object?>("region", l.Key))),
            unit: "ms", description: "Age of the oldest event not yet in the read model.");
    }

    /// <summary>Metrics that no exporter reads, for a projector run outside the host (the rebuild command, tests).</summary>
    public static ProjectorMetrics Standalone() => new(new StandaloneMeterFactory());

    public IReadOnlyDictionary<string, ProjectionLag> Lag => _lag;

    public void Applied(string region, int count, IEnumerable<double> delaysMs)
    {
        _applied.Add(count, new KeyValuePair<string, object?>("region", region));
        foreach (var delay in delaysMs)
        {
            _delay.Record(delay, new KeyValuePair<string, object?>("region", region));
        }
    }

    public void DeadLettered(string region) => _deadLetters.Add(1, new KeyValuePair<string, object?>("region", region));
    public void TookOver(string region) => _takeovers.Add(1, new KeyValuePair<string, object?>("region", region));
    public void Rebuilt(string region) => _rebuilds.Add(1, new KeyValuePair<string, object?>("region", region));
    public void SetLag(string region, ProjectionLag lag) => _lag[region] = lag;
}

/// <summary>How far a region's read model is behind its stream head.</summary>
public sealed record ProjectionLag(long Events, double Milliseconds, DateTimeOffset MeasuredAt);

internal sealed class StandaloneMeterFactory : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options);

    public void Dispose() { }
}
