using System.Runtime;

namespace Hyperstore.LoadTest.Running;

/// <summary>
/// Holds off this process's garbage collector while the load runs (a .NET no-GC region). With thousands of users a
/// collection stops the client for up to ~120 ms, and every answer that arrives meanwhile is measured that much
/// slower although the server sent it on time (docs/performance.md). The region ends early, with a collection, once
/// the run has allocated more than it asked for; the report says so.
/// </summary>
internal static class NoGcRegion
{
    /// <summary>Starts the region (after a collection that makes room for it); the reason when the runtime refused.</summary>
    public static string? TryStart(long bytes)
    {
        try
        {
            return GC.TryStartNoGCRegion(bytes) ? null : "the runtime refused it";
        }
        catch (ArgumentOutOfRangeException)
        {
            return "more than the runtime allows";
        }
        catch (InvalidOperationException)
        {
            return "a region was already running";
        }
    }

    /// <summary>Ends the region if it is still on, and tells whether it lasted (or why it never started).</summary>
    public static string End(long bytes, string? refusal)
    {
        string asked = $"{bytes / 1048576:N0} MiB";
        if (refusal is not null)
        {
            return $"no GC for {asked}: not started, {refusal}";
        }

        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
        {
            return $"no GC for {asked}: ended early, the run allocated more";
        }

        GC.EndNoGCRegion();
        return $"no GC for {asked}: held for the whole load";
    }
}
