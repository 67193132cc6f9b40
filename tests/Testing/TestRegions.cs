namespace Hyperstore.Testing;

/// <summary>Region names unique to one test, so that tests sharing a Redis never see each other's keys.</summary>
public static class TestRegions
{
    private static int _counter;

    public static string Unique(string prefix = "t") =>
        $"{prefix}{Environment.ProcessId % 10_000}x{Interlocked.Increment(ref _counter)}";
}
