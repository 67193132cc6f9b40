using System.Globalization;
using System.Text.Json.Nodes;

namespace Hyperstore.Bench.Driver.Report;

/// <summary>Turns the raw measurements of one run into <see cref="BenchResult"/>: medians, ratios, verdicts and targets.</summary>
internal static class FigureBuilder
{
    public const double CapacityP99Ms = 100;
    public const double DefaultScenarioP99Ms = 50;

    public static BenchResult Build(Raw raw, string mode)
    {
        var config = raw.Config;
        var wrk = raw.Wrk;
        var redis = RedisFigures(raw.RedisBenchmark);
        var evalsha = EvalshaCeiling(redis, Fsync(config));

        var throughput = ThroughputRows(wrk.Where(w => Str(w, "phase") == "throughput"), evalsha);
        var fsync = ThroughputRows(wrk.Where(w => Str(w, "phase")?.StartsWith("fsync-", StringComparison.Ordinal) == true), null)
            .ToList();
        var decomposition = ThroughputRows(wrk.Where(w => Str(w, "phase") == "decomposition"), null);
        var keys = ThroughputRows(wrk.Where(w => Str(w, "phase") == "keys-rsa"), null);
        var token = HttpOf(wrk.Where(w => Str(w, "phase") == "token").ToList());
        var tokenThenGet = HttpOf(wrk.Where(w => Str(w, "phase") == "token-then-get").ToList());
        var capacity = CapacityRows(raw);
        var maxHeld = capacity.TakeWhile(c => c.Held).Select(c => (int?)c.Users).LastOrDefault();
        var memory = raw.Seed;

        var result = new BenchResult
        {
            Mode = mode,
            StartedAt = Str(config, "startedAt") ?? DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            Commit = Str(config, "commit"),
            Machine = MachineOf(raw.Machine),
            Settings = config?.DeepClone(),
            Throughput = throughput,
            Redis = redis,
            Token = token,
            TokenThenGet = tokenThenGet,
            FsyncComparison = fsync,
            Decomposition = decomposition,
            KeyComparison = keys,
            Capacity = capacity,
            MaxUsersHeld = maxHeld,
            ProjectionLag = raw.Lag?.DeepClone(),
            Replay = raw.Replay?.DeepClone(),
            Memory = memory?.DeepClone(),
            LedgerVerify = raw.Verify?.DeepClone(),
            Notes = raw.Notes,
        };
        return result with { Targets = Targets(result) };
    }

    /// <summary>Rows of the yardstick that drives append.lua as a PUT with an Idempotency-Key does (checking and writing its record).</summary>
    public const string EvalshaAsPut = "EVALSHA append.lua as a PUT";

    /// <summary>Rows of the same buy with ttl 0, which writes no idempotency record.</summary>
    public const string EvalshaWithoutRecord = "EVALSHA append.lua without idempotency record";

    /// <summary>The suffix of the pipelined rows.</summary>
    public const string Pipelined = ", pipelined 16";

    /// <summary>
    /// The ceiling the PUT is compared with: the best the Redis core did with append.lua called as a PUT calls it,
    /// pipelined or not, under the run's appendfsync. Runs before 1 December 2026 drove it without the idempotency
    /// record only (rows named "EVALSHA append.lua…"); their best row is their ceiling.
    /// </summary>
    public static RedisFigure? EvalshaCeiling(IEnumerable<RedisFigure> redis, string? fsync)
    {
        var rows = redis.Where(r => r.Fsync == fsync && r.Name.StartsWith("EVALSHA append.lua", StringComparison.Ordinal)
            && !r.Name.StartsWith(EvalshaWithoutRecord, StringComparison.Ordinal)).ToList();
        var asPut = rows.Where(r => r.Name.StartsWith(EvalshaAsPut, StringComparison.Ordinal)).ToList();
        return (asPut.Count > 0 ? asPut : rows).MaxBy(r => r.RequestsPerSecond);
    }

    private static List<ThroughputRow> ThroughputRows(IEnumerable<JsonObject> runs, RedisFigure? evalsha)
    {
        var rows = new List<ThroughputRow>();
        foreach (var group in runs.GroupBy(r => (Endpoint: Str(r, "endpoint") ?? "", Connections: (int)Num(r, "connections")))
                     .OrderBy(g => g.Key.Endpoint.StartsWith("GET", StringComparison.Ordinal) ? 0 : 1).ThenBy(g => g.Key.Connections))
        {
            var api = HttpOf(group.Where(r => Str(r, "target") == "api").ToList());
            var bare = HttpOf(group.Where(r => Str(r, "target") == "bare").ToList());
            double? ratio = api is not null && bare is { RequestsPerSecond: > 0 } ? api.RequestsPerSecond / bare.RequestsPerSecond : null;
            double? toRedis = api is not null && evalsha is { RequestsPerSecond: > 0 } && group.Key.Endpoint.StartsWith("PUT", StringComparison.Ordinal)
                ? api.RequestsPerSecond / evalsha.RequestsPerSecond
                : null;
            rows.Add(new ThroughputRow(group.Key.Endpoint, group.Key.Connections, api, bare, ratio, toRedis));
        }
        return rows;
    }

    private static HttpFigure? HttpOf(List<JsonObject> runs)
    {
        if (runs.Count == 0)
        {
            return null;
        }
        var rps = runs.Select(r => Num(r, "requests") / Math.Max(Num(r, "duration_us"), 1) * 1e6).ToList();
        long errors = 0;
        var details = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            foreach (var kind in new[] { "connect", "read", "write", "status", "timeout" })
            {
                var count = Num(run, kind + "_errors");
                errors += (long)count;
                if (count > 0)
                {
                    details[kind] = details.GetValueOrDefault(kind) + count;
                }
            }
        }
        return new HttpFigure(runs.Count, Math.Round(Median(rps)),
            Math.Round(Median(runs.Select(r => Num(r, "p50_us") / 1000).ToList()), 2),
            Math.Round(Median(runs.Select(r => Num(r, "p99_us") / 1000).ToList()), 2),
            Math.Round(Median(runs.Select(r => Num(r, "p999_us") / 1000).ToList()), 2),
            errors,
            details.Count == 0 ? null : string.Join(", ", details.Select(d => $"{d.Key} {d.Value:0}")),
            MedianOf(runs, r => r["apiCpuBusy"] is null ? null : Num(r, "apiCpuBusy"), 3),
            MedianOf(runs, r => r["loadCpuBusy"] is null ? null : Num(r, "loadCpuBusy"), 3),
            MedianOf(runs, r => r["apiCpuBusy"] is null || Num(r, "requests") <= 0
                ? null : Num(r, "apiCpuBusy") * Num(r, "duration_us") / Num(r, "requests"), 1));
    }

    private static double? MedianOf(List<JsonObject> runs, Func<JsonObject, double?> value, int digits)
    {
        var values = runs.Select(value).OfType<double>().ToList();
        return values.Count == 0 ? null : Math.Round(Median(values), digits);
    }

    private static List<RedisFigure> RedisFigures(IReadOnlyList<JsonObject> lines) =>
    [
        .. lines.GroupBy(l => (Name: Str(l, "name") ?? "", Fsync: Str(l, "fsync") ?? ""))
            .Select(g => new RedisFigure(g.Key.Name, g.Key.Fsync, g.Count(),
                Math.Round(Median(g.Select(l => Num(l, "rps")).ToList())),
                Math.Round(Median(g.Select(l => Num(l, "p50_ms")).ToList()), 3),
                Math.Round(Median(g.Select(l => Num(l, "p99_ms")).ToList()), 3))),
    ];

    private static List<CapacityRow> CapacityRows(Raw raw)
    {
        var rows = new List<CapacityRow>();
        foreach (var line in raw.Capacity)
        {
            var kind = Str(line, "kind") ?? "step";
            var users = (int)Num(line, "users");
            var file = Str(line, "file");
            var result = file is null ? null : raw.LoadTest(file);
            var summaryRows = result?["summary"]?["rows"]?.AsArray();
            var aggregated = summaryRows?.LastOrDefault(r => Str(r, "name") == "Aggregated")?.AsObject();
            if (aggregated is null)
            {
                rows.Add(new CapacityRow(kind, users, 0, 0, 0, 0, double.NaN, double.NaN, double.NaN, null, 0, null, false,
                    $"no result (load client exit code {Num(line, "exit")})"));
                continue;
            }
            var token = summaryRows!.FirstOrDefault(r => Str(r, "name") == "/oauth/token")?.AsObject();
            var run = result!["runs"]?.AsArray().FirstOrDefault()?.AsObject();
            var client = run?["client"];
            var cpuSeconds = Num(client, "cpuSeconds");
            var wall = Math.Max(Num(client, "wallSeconds"), 1e-3);
            var failures = (long)Num(aggregated, "failures");
            var p99 = Num(aggregated, "p99Ms");
            var ledger = result["summary"]?["ledgerPassed"]?.GetValue<bool?>();
            var clientCores = Math.Round(cpuSeconds / wall, 2);
            string[] notes = [.. new[] { clientCores >= 0.85 ? "load client near one full core: it may be the limit" : null, CollectorNote(client) }.OfType<string>()];
            var note = notes.Length > 0 ? string.Join("; ", notes) : null;
            var steady = SteadyState.Of(result);
            rows.Add(new CapacityRow(kind, users, Math.Round(wall, 1), (long)Num(aggregated, "requests"), failures,
                Math.Round(Num(aggregated, "requestsPerSecond")), Num(aggregated, "medianMs"), Num(aggregated, "p95Ms"), p99,
                token is null ? null : Num(token, "p99Ms"), clientCores, ledger, Held(failures, p99, steady, CapacityP99Ms) && ledger != false,
                note, steady, ServerSideOf(raw, line, (long)Num(aggregated, "requests")), client?["gcPauseSeconds"] is null ? null : Num(client, "gcPauseSeconds")));
        }
        return rows;
    }

    /// <summary>When the step asked the load client to hold off its collector and that did not last, the table says so.</summary>
    private static string? CollectorNote(JsonNode? client) =>
        client?["noGcRegion"]?.GetValue<string>() is { } region && !region.EndsWith("held for the whole load", StringComparison.Ordinal)
            ? "load client " + region
            : null;

    private static ServerSide ServerSideOf(Raw raw, JsonObject line, long requests)
    {
        var file = Str(line, "apiStats");
        // A full interval only: the step's first and last lines also cover seconds outside it.
        var intervals = file is null ? [] : raw.Lines(file).Select(l => l["State"]).Where(s => Num(s, "Requests") > 0).ToList();
        var inner = intervals.Count > 2 ? intervals.Skip(1).SkipLast(1).ToList() : intervals;
        double? Busy(string name) => line[name] is null ? null : Math.Round(Num(line, name), 2);
        double? Optional(string name) => line[name] is null ? null : Num(line, name);
        // The API core's busy seconds; the first runs that reported this figure wrote the tick window instead, and older
        // runs neither.
        double? busySeconds = line["apiCpuSeconds"] is not null ? Num(line, "apiCpuSeconds")
            : line["apiCpuBusy"] is not null && line["cpuWindowSeconds"] is not null ? Num(line, "apiCpuBusy") * Num(line, "cpuWindowSeconds")
            : null;
        double? microsPerRequest = busySeconds is null || requests <= 0 ? null : Math.Round(busySeconds.Value * 1e6 / requests);
        return new ServerSide(inner.Count == 0 ? null : inner.Max(s => Num(s, "P99Ms")), inner.Count, Busy("apiCpuBusy"), Busy("loadCpuBusy"),
            Optional("apiGcPauseSeconds"), Optional("redisStallMaxMs"), Optional("redisFsyncMaxMs"), microsPerRequest);
    }

    /// <summary>Whether a load run held: no failure and p99 under the limit.</summary>
    public static bool Holds(long failures, double p99Ms, double limitMs) => failures == 0 && p99Ms < limitMs;

    /// <summary>
    /// A capacity step holds with no failure over the whole step and p99 under the limit once every user runs (the
    /// ramp-up's burst of first token requests is reported, not judged); without a steady window, over the whole step.
    /// </summary>
    public static bool Held(long failures, double p99Ms, SteadyFigures? steady, double limitMs) =>
        failures == 0 && (steady?.P99Ms ?? p99Ms) < limitMs;

    private static List<TargetRow> Targets(BenchResult r)
    {
        var targets = new List<TargetRow>();
        var defaultRun = r.Capacity.FirstOrDefault(c => c.Kind == "default");
        targets.Add(defaultRun is null
            ? new TargetRow("Default scenario, 1000 users", "0 failures, p99 < 50 ms", "not measured", null)
            : new TargetRow($"Default scenario, {defaultRun.Users} users", "0 failures, p99 < 50 ms",
                $"{defaultRun.Failures} failures, p99 {defaultRun.Steady?.P99Ms ?? defaultRun.P99Ms:0.#} ms with every user running ({defaultRun.P99Ms:0.#} ms over the whole run, ramp-up included)",
                Held(defaultRun.Failures, defaultRun.P99Ms, defaultRun.Steady, DefaultScenarioP99Ms) && defaultRun.LedgerPassed != false)
            {
                Value = defaultRun.Steady?.P99Ms ?? defaultRun.P99Ms,
                ValueFormat = "0.# 'ms'",
            });

        var steps = r.Capacity;
        targets.Add(steps.Count == 0
            ? new TargetRow("Users held by one API core (p99 < 100 ms, 0 failures)", "≥ 10,000", "not measured", null)
            : new TargetRow("Users held by one API core (p99 < 100 ms, 0 failures)", "≥ 10,000",
                r.MaxUsersHeld is { } held
                    ? $"{held:N0}{(!steps.All(s => s.Held) ? "" : r.Notes.Any(n => n.StartsWith("capacity step", StringComparison.Ordinal) && n.Contains("time budget", StringComparison.Ordinal)) ? " (every step held; the time budget ended the ramp there)" : " (every step held; the ramp ended there)")}"
                    : $"none (first step {steps[0].Users:N0} failed)",
                (r.MaxUsersHeld ?? 0) >= 10_000) { Value = r.MaxUsersHeld ?? 0, ValueFormat = "N0" });

        var get256 = r.Throughput.FirstOrDefault(t => t.Endpoint.StartsWith("GET", StringComparison.Ordinal) && t.Connections == 256);
        targets.Add(Ratio("GET vs bare GET, 256 connections", "≥ 0.75×", get256?.RatioToBare, 0.75));
        var put256 = r.Throughput.FirstOrDefault(t => t.Endpoint.StartsWith("PUT", StringComparison.Ordinal) && t.Connections == 256);
        targets.Add(Ratio("PUT vs bare buy, 256 connections", "≥ 0.6×", put256?.RatioToBare, 0.6));
        targets.Add(Ratio("PUT vs raw EVALSHA append.lua ceiling (called as a PUT calls it), 256 connections", "≥ 0.3×", put256?.RatioToRedis, 0.3));

        var lag = r.ProjectionLag;
        if (lag is null)
        {
            targets.Add(new TargetRow("Projection lag p99 at 2,000 buys/s", "< 50 ms", "not measured", null));
        }
        else
        {
            var p99 = Num(lag["lagMs"], "p99");
            var achieved = Num(lag, "achievedRate");
            var rate = Num(lag, "targetRate");
            targets.Add(new TargetRow($"Projection lag p99 at {rate:N0} buys/s", "< 50 ms",
                $"{p99:0.#} ms (achieved {achieved:N0}/s)", p99 < 50 && achieved >= 0.95 * rate) { Value = p99, ValueFormat = "0.# 'ms'" });
        }

        var replay = r.Replay;
        targets.Add(replay is null
            ? new TargetRow("Replay speed", "≥ 500,000 events/s", "not measured", null)
            : new TargetRow($"Replay speed ({Num(replay, "events"):N0} events)", "≥ 500,000 events/s",
                $"{Num(replay, "medianEventsPerSecond"):N0} events/s", Num(replay, "medianEventsPerSecond") >= 500_000)
            {
                Value = Num(replay, "medianEventsPerSecond"),
                ValueFormat = "N0",
            });

        var memory = r.Memory;
        targets.Add(memory is null
            ? new TargetRow("Redis memory per event (stream)", "≤ 200 bytes", "not measured", null)
            : new TargetRow($"Redis memory per event (stream, {Num(memory, "events"):N0} events)", "≤ 200 bytes",
                $"{Num(memory, "streamBytesPerEvent"):0.#} bytes", Num(memory, "streamBytesPerEvent") <= 200)
            {
                Value = Num(memory, "streamBytesPerEvent"),
                ValueFormat = "0.# 'B'",
            });

        targets.Add(r.Token is null
            ? new TargetRow("Token endpoint on one core", "≥ 2,000 tokens/s", "not measured", null)
            : new TargetRow("Token endpoint on one core", "≥ 2,000 tokens/s",
                $"{r.Token.RequestsPerSecond:N0} tokens/s{(r.Token.Errors > 0 ? $" ({r.Token.Errors} errors)" : "")}",
                r.Token.RequestsPerSecond >= 2_000 && r.Token.Errors == 0) { Value = r.Token.RequestsPerSecond, ValueFormat = "N0" });
        return targets;
    }

    /// <summary>
    /// The targets of <paramref name="runs"/> side by side, row by row (every full run has the same target rows, in the same
    /// order): each run's value, their median, and in how many runs the target was met.
    /// </summary>
    public static AcrossRuns Across(IReadOnlyList<BenchResult> runs)
    {
        var ordered = runs.OrderBy(run => run.StartedAt, StringComparer.Ordinal).ToList();
        var last = ordered[^1];
        var rows = last.Targets.Select((target, i) =>
        {
            var values = ordered.Select(run => i < run.Targets.Count ? run.Targets[i].Value : null).ToList();
            var measured = values.OfType<double>().ToList();
            var verdicts = ordered.Select(run => i < run.Targets.Count ? run.Targets[i].Met : null).OfType<bool>().ToList();
            return new AcrossRunsRow(target.Name, target.Target, values, measured.Count == 0 ? null : Median(measured),
                verdicts.Count(met => met), verdicts.Count, target.ValueFormat);
        }).ToList();
        return new AcrossRuns(last.Commit, [.. ordered.Select(run => run.StartedAt)], rows);
    }

    private static TargetRow Ratio(string name, string target, double? ratio, double minimum) =>
        new(name, target, ratio is null ? "not measured" : $"{ratio:0.00}×", ratio is null ? null : ratio >= minimum)
        {
            Value = ratio,
            ValueFormat = "0.00'×'",
        };

    private static MachineInfo? MachineOf(JsonNode? machine) => machine is null
        ? null
        : new MachineInfo(Str(machine, "cpuModel") ?? "?", (int)Num(machine, "cores"), Str(machine, "memory") ?? "?",
            Str(machine, "kernel") ?? "?", Str(machine, "os") ?? "?", Str(machine, "dotnetSdk") ?? "?",
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, Str(machine, "redis") ?? "?", Str(machine, "wrk") ?? "?");

    public static string? Fsync(JsonNode? config) => Str(config, "fsync") ?? "always";

    internal static string? Str(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal static double Num(JsonNode? node, string name)
    {
        if (node?[name] is not JsonValue value)
        {
            return double.NaN;
        }
        if (value.TryGetValue<double>(out var number))
        {
            return number;
        }
        return value.TryGetValue<string>(out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            ? number
            : double.NaN;
    }

    internal static double Median(IReadOnlyList<double> values) => ReplayCommand.Median(values);
}
