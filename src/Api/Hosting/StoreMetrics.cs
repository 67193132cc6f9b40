using System.Diagnostics.Metrics;

namespace Hyperstore.Api.Hosting;

/// <summary>Business counters next to the HTTP ones: what the ledger accepted and refused.</summary>
public sealed class StoreMetrics
{
    public const string MeterName = "Hyperstore.Api";

    private readonly Counter<long> _commands;

    public StoreMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _commands = meter.CreateCounter<long>("hyperstore.commands", description: "Stock commands by kind and outcome.");
    }

    public void Command(string kind, string outcome) =>
        _commands.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
}
