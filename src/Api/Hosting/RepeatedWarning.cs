namespace Hyperstore.Api.Hosting;

/// <summary>
/// Decides when a failure that repeats on every attempt is worth a log line: the first of a run, then at most one per
/// <paramref name="every"/>. An outage of Redis is then one warning a minute instead of one a second.
/// </summary>
public sealed class RepeatedWarning(TimeSpan every)
{
    private DateTimeOffset _lastLogged;

    /// <summary>Failures since the last success.</summary>
    public int Failures { get; private set; }

    /// <summary>Counts a failure; true when it should be logged.</summary>
    public bool Fail(DateTimeOffset now)
    {
        Failures++;
        if (Failures > 1 && now - _lastLogged < every)
        {
            return false;
        }
        _lastLogged = now;
        return true;
    }

    /// <summary>Counts a success; returns how many failures it ended (0 if none).</summary>
    public int Succeed()
    {
        var ended = Failures;
        Failures = 0;
        return ended;
    }
}
