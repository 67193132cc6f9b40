namespace Hyperstore.LoadTest.Running;

internal enum RunPhase
{
    Starting,
    RampingUp,
    Running,
    Stopping,
    CheckingLedger,
    Done,
}

/// <summary>What the live display shows, once a second.</summary>
internal sealed record LiveSnapshot
{
    public RunPhase Phase { get; init; }
    public TimeSpan Elapsed { get; init; }
    public TimeSpan RunTime { get; init; }
    public int Users { get; init; }
    public int TargetUsers { get; init; }
    public long Requests { get; init; }
    public long Failures { get; init; }
    public long SoldOut { get; init; }
    public long Dropped { get; init; }
    public double CurrentRps { get; init; }
    public double CurrentFailuresPerSecond { get; init; }
    public double P50Ms { get; init; }
    public double P95Ms { get; init; }
    public double P99Ms { get; init; }
    public double CpuPercent { get; init; }

    public double TotalRps => Elapsed.TotalSeconds <= 0 ? 0 : Requests / Elapsed.TotalSeconds;
    public TimeSpan Left => RunTime > Elapsed ? RunTime - Elapsed : TimeSpan.Zero;
}

/// <summary>Receives the run's progress (the console display, or nothing in tests).</summary>
internal interface IRunObserver
{
    void OnSnapshot(LiveSnapshot snapshot);

    void OnMessage(string message);
}

internal sealed class NullObserver : IRunObserver
{
    public static readonly NullObserver Instance = new();

    public void OnSnapshot(LiveSnapshot snapshot)
    {
    }

    public void OnMessage(string message)
    {
    }
}
