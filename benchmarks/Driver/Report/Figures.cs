using System.Text.Json.Nodes;

namespace Hyperstore.Bench.Driver.Report;

/// <summary>
/// One HTTP load measurement (median over its runs): requests per second and latency percentiles in ms; how busy the API's
/// CPU (where the service under test runs) and the load CPU were, and the service's CPU time per request in µs.
/// </summary>
internal sealed record HttpFigure(int Runs, double RequestsPerSecond, double P50Ms, double P99Ms, double P999Ms, long Errors, string? ErrorDetail,
    double? ApiCpuBusy = null, double? LoadCpuBusy = null, double? CoreMicrosPerRequest = null);

/// <summary>API and bare reference under the same load, and the API's share of the bare figure.</summary>
internal sealed record ThroughputRow(string Endpoint, int Connections, HttpFigure? Api, HttpFigure? Bare, double? RatioToBare, double? RatioToRedis);

internal sealed record RedisFigure(string Name, string Fsync, int Runs, double RequestsPerSecond, double P50Ms, double P99Ms);

/// <summary>One run of the load client: the aggregated row, the token endpoint's row, and whether it held.</summary>
/// <param name="Steady">The same after the ramp-up (every user running); <see cref="Held"/> is judged on it.</param>
/// <param name="Server">What the API measured itself during the step, and how busy each core was.</param>
internal sealed record CapacityRow(string Kind, int Users, double Seconds, long Requests, long Failures, double RequestsPerSecond,
    double P50Ms, double P95Ms, double P99Ms, double? TokenP99Ms, double ClientCores, bool? LedgerPassed, bool Held, string? Note,
    SteadyFigures? Steady = null, ServerSide? Server = null, double? ClientGcPauseSeconds = null);

/// <summary>
/// The API's own view of a capacity step: the worst p99 of its 10-second <c>RequestStats</c> intervals (time inside the
/// API's pipeline, from the first middleware on), and the busy share of the API's and the load generators' cores;
/// the time the API stood still in its garbage collector, and Redis's longest stall (its latency monitor: any event,
/// and the AOF fsync alone), to tell a miss's causes apart.
/// </summary>
/// <param name="ApiCoreMicrosPerRequest">
/// The API core's busy time in the step over the step's requests, ramp and token requests included: what a request of
/// the scenario cost the API core, the figure that decides how many users it can hold (it varies from run to run on a
/// shared VM). At low load the core's fixed background work weighs in, and in the default run the ledger check too.
/// </param>
internal sealed record ServerSide(double? WorstIntervalP99Ms, int Intervals, double? ApiCpuBusy, double? LoadCpuBusy,
    double? ApiGcPauseSeconds = null, double? RedisStallMaxMs = null, double? RedisFsyncMaxMs = null,
    double? ApiCoreMicrosPerRequest = null);

internal sealed record TargetRow(string Name, string Target, string Actual, bool? Met)
{
    /// <summary>The number the target is judged on (a p99, a ratio, a rate…), to set runs side by side; null when not measured.</summary>
    public double? Value { get; init; }

    /// <summary>How to print <see cref="Value"/>.</summary>
    public string ValueFormat { get; init; } = "0.##";
}

/// <summary>One target over several full runs of the same commit on the same machine, oldest first.</summary>
internal sealed record AcrossRunsRow(string Name, string Target, IReadOnlyList<double?> Values, double? Median, int Met, int Judged, string ValueFormat);

/// <summary>The targets of the last full runs of one commit: the VM is noisy, so one run is not the figure.</summary>
internal sealed record AcrossRuns(string? Commit, IReadOnlyList<string> StartedAt, IReadOnlyList<AcrossRunsRow> Rows);

internal sealed record MachineInfo(string CpuModel, int Cores, string Memory, string Kernel, string Os, string DotnetSdk, string DotnetRuntime,
    string Redis, string Wrk);

internal sealed record BenchResult
{
    public string Schema { get; init; } = "hyperstore-bench/1";
    public string Mode { get; init; } = "";
    public string StartedAt { get; init; } = "";
    public string? Commit { get; init; }
    public MachineInfo? Machine { get; init; }
    public JsonNode? Settings { get; init; }
    public IReadOnlyList<ThroughputRow> Throughput { get; init; } = [];
    public IReadOnlyList<RedisFigure> Redis { get; init; } = [];
    public HttpFigure? Token { get; init; }
    /// <summary>wrk token-then-get.lua: a new token, then one GET with it, alternately (both counted).</summary>
    public HttpFigure? TokenThenGet { get; init; }
    public IReadOnlyList<ThroughputRow> FsyncComparison { get; init; } = [];
    public IReadOnlyList<ThroughputRow> Decomposition { get; init; } = [];
    public IReadOnlyList<ThroughputRow> KeyComparison { get; init; } = [];
    public IReadOnlyList<CapacityRow> Capacity { get; init; } = [];
    public int? MaxUsersHeld { get; init; }
    public JsonNode? ProjectionLag { get; init; }
    public JsonNode? Replay { get; init; }
    public JsonNode? Memory { get; init; }
    public JsonNode? LedgerVerify { get; init; }
    public IReadOnlyList<TargetRow> Targets { get; init; } = [];
    public AcrossRuns? AcrossRuns { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
}
