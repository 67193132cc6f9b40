namespace Hyperstore.LoadTest;

/// <summary>
/// What the ledger check found after a run: every buy the clients saw accepted must be in the ledger,
/// stock never negative, and the read model caught up.
/// </summary>
internal sealed record LedgerReport
{
    /// <summary>False when the check could not run (no audit client); then <see cref="Passed"/> is null.</summary>
    public bool Checked { get; init; }
    public bool? Passed { get; init; }
    public string? SkippedReason { get; init; }
    public string? Region { get; init; }
    public long AcceptedBuys { get; init; }
    public long FoundInLedger { get; init; }
    public long MissingFromLedger { get; init; }
    public long PositionMismatches { get; init; }
    public IReadOnlyList<string> MissingSample { get; init; } = [];
    public long EventsScanned { get; init; }
    public long NegativeStockEvents { get; init; }
    public bool? Consistent { get; init; }
    public long? WriteStock { get; init; }
    public long? ReplayStock { get; init; }
    public long? ReadModelStock { get; init; }
    public long? EventsBehindAtEnd { get; init; }
    public bool ReadModelCaughtUp { get; init; }
    public double CatchUpSeconds { get; init; }
    public string? StreamHead { get; init; }
    public string? ReadModelPosition { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];

    public static LedgerReport Skipped(string reason) => new() { Checked = false, SkippedReason = reason };
}

internal static class LedgerVerdict
{
    /// <summary>True when every checked run passed, false when one failed, null when none was checked.</summary>
    public static bool? Of(IEnumerable<Stats.RunPart> runs)
    {
        var checkedRuns = runs.Select(r => r.Ledger).Where(l => l is { Checked: true }).ToList();
        return checkedRuns.Count == 0 ? null : checkedRuns.All(l => l!.Passed == true);
    }
}
