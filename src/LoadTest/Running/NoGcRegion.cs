using System.Globalization;

namespace Hyperstore.LoadTest.Running;

/// <summary>
/// Holds off this process's garbage collector while the load runs (a .NET no-GC region). With thousands of users a
/// collection stops the client for up to ~120 ms, and every answer that arrives meanwhile is measured that much
/// slower although the server sent it on time (docs/performance.md). The runtime commits the region's memory up
/// front. Once the run has allocated more than it asked for, the runtime collects and the region ends (collections
/// then go on as usual); the report says so.
/// </summary>
internal static class NoGcRegion
{
    /// <summary>Starts the region (after a collection that makes room for it); the reason when it did not start.</summary>
    public static string? TryStart(long bytes)
    {
        try
        {
            // Large objects get a budget of their own; the one-argument overload would give them as much again.
            return GC.TryStartNoGCRegion(bytes, LargeObjectBytes(bytes)) ? null : "the runtime could not commit the memory";
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
        string asked = string.Create(CultureInfo.InvariantCulture, $"no GC for {bytes / 1048576:N0} MiB");
        if (refusal is not null)
        {
            return $"{asked}: not started, {refusal}";
        }

        try
        {
            GC.EndNoGCRegion();
            return asked + ": held for the whole load";
        }
        catch (InvalidOperationException)
        {
            // The runtime ended it already: the run allocated more than the region, and a collection ran.
            return asked + ": ended early, a collection ran";
        }
    }

    /// <summary>A sixteenth of the region: the client allocates few large objects.</summary>
    private static long LargeObjectBytes(long bytes) => bytes / 16;
}
