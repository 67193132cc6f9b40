using System.Collections.Concurrent;
using System.Net;
using Hyperstore.LoadTest.Http;
using Hyperstore.LoadTest.Scenarios;
using Hyperstore.LoadTest.Stats;

namespace Hyperstore.LoadTest.Running;

/// <summary>
/// Runs a scenario with many virtual users, closed model (fixed users with think time, Locust's) or open model
/// (fixed arrival rate, k6's constant-arrival-rate), samples the statistics every second, and checks the ledger
/// at the end. The run is bounded by its run time (and the stop and ledger time limits after it).
/// </summary>
internal sealed class LoadRunner(LoadRunOptions options, IRunObserver? observer = null, TimeProvider? time = null)
{
    private readonly IRunObserver _observer = observer ?? NullObserver.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly StatsRecorder _stats = new();
    private readonly ConcurrentQueue<AcceptedBuy> _acceptedBuys = new();
    private int _activeUsers;
    private long _iterations;
    private long _dropped;
    private long _startTimestamp;
    private volatile RunPhase _phase = RunPhase.Starting;
    private double _maxCpuPercent;

    public StatsRecorder Stats => _stats;

    public async Task<RunPart> RunAsync(CancellationToken stopEarly = default)
    {
        using var thinking = new ThinkTimeQueue(_time);
        using var sharedHttp = CreateHttp(options.ConnectionMode == ConnectionMode.Shared ? int.MaxValue : 4, "shared");
        LedgerChecker? ledger = options.AuditCredentials is null
            ? null
            : new LedgerChecker(sharedHttp.Client, options.AuditCredentials, options.Region, _time)
            {
                ReadModelWait = options.LedgerWait,
                Timeout = options.LedgerWait + options.LedgerScanTimeout,
            };

        // Fail before the load, not after it, when the audit client does not work.
        string? ledgerFrom = ledger is null ? null : await ledger.StreamHeadAsync(stopEarly);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stopEarly);
        using var hardStop = new CancellationTokenSource();
        using var samplingDone = new CancellationTokenSource();
        await using var onStop = stopping.Token.Register(() => hardStop.CancelAfter(options.StopTimeout));

        // Before the baselines below: starting the region runs a collection.
        string? noGcRefusal = options.NoGcRegionBytes > 0 ? NoGcRegion.TryStart(options.NoGcRegionBytes) : null;
        var startedAt = _time.GetUtcNow();
        _startTimestamp = _time.GetTimestamp();
        var cpuAtStart = Environment.CpuUsage.TotalTime;
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes();
        var paused = GC.GetTotalPauseDuration();
        var sampler = SampleAsync(samplingDone.Token);

        stopping.CancelAfter(options.RunTime);
        _phase = RunPhase.RampingUp;
        var shared = new SharedByUsers(sharedHttp, thinking);
        var load = options.ArrivalRate is { } rate
            ? RunOpenAsync(rate, shared, stopping.Token, hardStop.Token)
            : RunClosedAsync(shared, stopping.Token, hardStop.Token);
        int gen0Collections, gen2Collections;
        long allocatedBytes;
        TimeSpan gcPause;
        string? noGc;
        try
        {
            await load;
        }
        finally
        {
            // The client's figures cover the load, not the ledger check after it; and whatever happened to the load,
            // the process does not go on without collections.
            gen0Collections = GC.CollectionCount(0) - gen0;
            gen2Collections = GC.CollectionCount(2) - gen2;
            allocatedBytes = GC.GetTotalAllocatedBytes() - allocated;
            gcPause = GC.GetTotalPauseDuration() - paused;
            noGc = options.NoGcRegionBytes > 0 ? NoGcRegion.End(options.NoGcRegionBytes, noGcRefusal) : null;
        }
        await stopping.CancelAsync();

        var endedAt = _time.GetUtcNow();
        var wall = _time.GetElapsedTime(_startTimestamp);
        var cpu = Environment.CpuUsage.TotalTime - cpuAtStart;
        await samplingDone.CancelAsync();
        await sampler;
        _stats.CloseInterval((long)Math.Ceiling(endedAt.ToUnixTimeMilliseconds() / 1000.0), 0, 0);

        _phase = RunPhase.CheckingLedger;
        Publish(0);
        LedgerReport report;
        if (ledger is null)
        {
            report = LedgerReport.Skipped("no audit client given (--audit-client-id/--audit-client-secret or HYPERSTORE_AUDIT_CLIENT_ID/_SECRET)");
            _observer.OnMessage("Warning: ledger check skipped: " + report.SkippedReason);
        }
        else
        {
            report = await ledger.CheckAsync([.. _acceptedBuys], ledgerFrom, CancellationToken.None);
        }

        _phase = RunPhase.Done;
        return new RunPart
        {
            RegionLabel = options.RegionLabel,
            Host = options.Host.ToString(),
            Region = options.Region,
            Scenario = options.Scenario.Name,
            Model = options.Model,
            Users = options.Users,
            SpawnRate = options.SpawnRate,
            ArrivalRate = options.ArrivalRate,
            ThinkMinSeconds = options.ThinkMin.TotalSeconds,
            ThinkMaxSeconds = options.ThinkMax.TotalSeconds,
            Seed = options.Seed,
            StartedAt = startedAt,
            EndedAt = endedAt,
            DroppedIterations = Interlocked.Read(ref _dropped),
            Iterations = Interlocked.Read(ref _iterations),
            Client = new ClientUsage
            {
                ProcessorCount = Environment.ProcessorCount,
                CpuSeconds = Math.Round(cpu.TotalSeconds, 3),
                WallSeconds = Math.Round(wall.TotalSeconds, 3),
                // A run shorter than one sample still gets its average as the peak.
                MaxCpuPercent = Math.Round(Math.Max(_maxCpuPercent, 100 * cpu.TotalSeconds / Math.Max(wall.TotalSeconds, 0.001)), 1),
                Gen0Collections = gen0Collections,
                Gen2Collections = gen2Collections,
                AllocatedBytes = allocatedBytes,
                GcPauseSeconds = Math.Round(gcPause.TotalSeconds, 3),
                NoGcRegion = noGc,
                ConnectionMode = options.ConnectionMode == ConnectionMode.PerUser
                    ? $"per-user ({options.ConnectionsPerUser} connection{(options.ConnectionsPerUser == 1 ? "" : "s")} each)"
                    : "shared",
            },
            Endpoints = _stats.EndpointRecords(),
            Failures = _stats.FailureRecords(),
            History = _stats.HistoryRecords(),
            Ledger = report,
        };
    }

    private async Task RunClosedAsync(SharedByUsers shared, CancellationToken stopping, CancellationToken hardStop)
    {
        var users = new List<Task>(options.Users);
        try
        {
            for (int i = 0; i < options.Users && !stopping.IsCancellationRequested; i++)
            {
                var due = TimeSpan.FromSeconds(i / options.SpawnRate) - _time.GetElapsedTime(_startTimestamp);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, _time, stopping);
                }

                int number = i + 1;
                users.Add(Task.Run(() => RunUserAsync(number, shared, stopping, hardStop), CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        _phase = RunPhase.Running;
        await Task.WhenAll(users);
    }

    private async Task RunUserAsync(int number, SharedByUsers shared, CancellationToken stopping, CancellationToken hardStop)
    {
        Interlocked.Increment(ref _activeUsers);
        try
        {
            using var user = CreateUser(number, shared, stopping, hardStop);
            for (int i = 0; options.IterationsPerUser is not { } limit || i < limit; i++)
            {
                if (!await RunIterationAsync(user))
                {
                    return;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _activeUsers);
        }
    }

    private async Task RunOpenAsync(double rate, SharedByUsers shared, CancellationToken stopping, CancellationToken hardStop)
    {
        var idle = new ConcurrentBag<VirtualUser>();
        var all = new List<VirtualUser>();
        long started = 0;
        _phase = RunPhase.Running;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                double elapsed = _time.GetElapsedTime(_startTimestamp).TotalSeconds;
                long due = (long)(elapsed * rate) + 1;
                for (; started < due; started++)
                {
                    if (!idle.TryTake(out var user))
                    {
                        if (all.Count >= options.Users)
                        {
                            // Every user is busy: k6's "dropped iteration". Not waiting here is what keeps the
                            // arrival rate fixed, so slow answers cannot slow the load down (coordinated omission).
                            Interlocked.Increment(ref _dropped);
                            continue;
                        }

                        user = CreateUser(all.Count + 1, shared, stopping, hardStop);
                        all.Add(user);
                    }

                    Interlocked.Increment(ref _activeUsers);
                    _ = RunArrivalAsync(user, idle);
                }

                double wait = (started / rate) - _time.GetElapsedTime(_startTimestamp).TotalSeconds;
                await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(wait, 0.001, 0.1)), _time, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        // Iterations in flight end at their next step; requests in flight get the stop timeout.
        long deadline = _time.GetTimestamp();
        while (Volatile.Read(ref _activeUsers) > 0 && _time.GetElapsedTime(deadline) < options.StopTimeout + TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, CancellationToken.None);
        }

        foreach (var user in all)
        {
            user.Dispose();
        }
    }

    private async Task RunArrivalAsync(VirtualUser user, ConcurrentBag<VirtualUser> idle)
    {
        try
        {
            await Task.Yield();
            await RunIterationAsync(user);
        }
        finally
        {
            idle.Add(user);
            Interlocked.Decrement(ref _activeUsers);
        }
    }

    /// <summary>Runs one iteration (and the user's start the first time); false once the run is stopping.</summary>
    private async Task<bool> RunIterationAsync(VirtualUser user)
    {
        try
        {
            if (!user.Started)
            {
                user.Started = true;
                await options.Scenario.OnStartAsync(user.Context);
            }

            await options.Scenario.IterationAsync(user.Context);
            Interlocked.Increment(ref _iterations);
            return true;
        }
        catch (OperationCanceledException) when (user.Context.Stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A scenario bug must show, not kill the run: counted as a failure, and the user goes on.
            _stats.Record("ERROR", "scenario " + options.Scenario.Name, 0, 0, Outcome.Failure, $"{e.GetType().Name}: {e.Message}");
            try
            {
                await user.Context.ThinkAsync();
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private VirtualUser CreateUser(int number, SharedByUsers shared, CancellationToken stopping, CancellationToken hardStop)
    {
        bool perUser = options.ConnectionMode == ConnectionMode.PerUser;
        var http = perUser ? CreateHttp(options.ConnectionsPerUser, $"vu {number}") : shared.Http;
        var client = new HyperstoreClient(http, perUser, options.Credentials, options.Region, _stats, _acceptedBuys, _time);
        var random = new Random(HashCode.Combine(options.Seed, number));
        var context = new UserContext(number, client, random, options.ThinkMin, options.ThinkMax, _time, shared.Thinking, stopping, hardStop);
        return new VirtualUser(context, client);
    }

    private ApiConnection CreateHttp(int maxConnections, string userTag) =>
        new(options.Host, maxConnections, $"hyperstore-loadtest/1.0 ({userTag})", options.RequestTimeout);

    private async Task SampleAsync(CancellationToken done)
    {
        var lastCpu = Environment.CpuUsage.TotalTime;
        long lastTick = _time.GetTimestamp();
        long lastClosed = 0;
        try
        {
            while (!done.IsCancellationRequested)
            {
                long nextSecond = Math.Max(_time.GetUtcNow().ToUnixTimeSeconds() + 1, lastClosed + 1);
                // A timer may fire a little before the second is over; closing then would record a near-empty
                // "second" (a false dip to 0 req/s in the charts) and shift the rest. Wait out the remainder.
                TimeSpan remaining;
                while ((remaining = DateTimeOffset.FromUnixTimeSeconds(nextSecond) - _time.GetUtcNow()) > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, _time, done);
                }
                lastClosed = nextSecond;

                var cpu = Environment.CpuUsage.TotalTime;
                double wall = _time.GetElapsedTime(lastTick).TotalSeconds;
                double cpuPercent = wall <= 0 ? 0 : 100 * (cpu - lastCpu).TotalSeconds / wall;
                lastCpu = cpu;
                lastTick = _time.GetTimestamp();
                _maxCpuPercent = Math.Max(_maxCpuPercent, cpuPercent);

                var record = _stats.CloseInterval(nextSecond, Volatile.Read(ref _activeUsers), cpuPercent);
                Publish(cpuPercent, record);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }

    private void Publish(double cpuPercent, HistoryRecord? lastSecond = null) => _observer.OnSnapshot(new LiveSnapshot
    {
        Phase = _phase,
        Elapsed = _time.GetElapsedTime(_startTimestamp),
        RunTime = options.RunTime,
        Users = Volatile.Read(ref _activeUsers),
        TargetUsers = options.Users,
        Requests = _stats.Requests,
        Failures = _stats.FailureCount,
        SoldOut = _stats.SoldOut,
        Dropped = Interlocked.Read(ref _dropped),
        CurrentRps = lastSecond?.Requests ?? 0,
        CurrentFailuresPerSecond = lastSecond?.Failures ?? 0,
        P50Ms = _stats.CumulativePercentileMs(50),
        P95Ms = _stats.CumulativePercentileMs(95),
        P99Ms = _stats.CumulativePercentileMs(99),
        CpuPercent = cpuPercent,
    });

    /// <summary>What every user of a run uses: the shared connections (shared mode and the ledger check) and the think-time queue.</summary>
    private sealed record SharedByUsers(ApiConnection Http, ThinkTimeQueue Thinking);
}
