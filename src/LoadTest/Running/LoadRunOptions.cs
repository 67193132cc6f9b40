using Hyperstore.LoadTest.Http;
using Hyperstore.LoadTest.Scenarios;

namespace Hyperstore.LoadTest.Running;

/// <summary>How one client sets up its connections.</summary>
internal enum ConnectionMode
{
    /// <summary>One handler (and so its own connections) per virtual user, like separate browsers.</summary>
    PerUser,

    /// <summary>One handler shared by all users: fewer sockets, less like real users.</summary>
    Shared,
}

/// <summary>Everything a run needs, already checked (the CLI's settings become this).</summary>
internal sealed record LoadRunOptions
{
    public required Uri Host { get; init; }
    public string? Region { get; init; }
    public string RegionLabel { get; init; } = "local";
    public Scenario Scenario { get; init; } = ScenarioCatalog.Default;
    public int Users { get; init; } = 10;
    public double SpawnRate { get; init; } = 1;
    public TimeSpan RunTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>When set, each user stops after this many iterations (the run may end before its run time).</summary>
    public int? IterationsPerUser { get; init; }

    /// <summary>When set, the open model: iterations start at this rate per second, <see cref="Users"/> is the most at once.</summary>
    public double? ArrivalRate { get; init; }

    public TimeSpan ThinkMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ThinkMax { get; init; } = TimeSpan.FromSeconds(2);
    public int Seed { get; init; }
    public required ClientCredentials Credentials { get; init; }
    public ClientCredentials? AuditCredentials { get; init; }
    public ConnectionMode ConnectionMode { get; init; } = ConnectionMode.PerUser;
    public int ConnectionsPerUser { get; init; } = 1;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long requests in flight may finish after the run time is up.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LedgerWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When above 0, the load runs in a no-GC region of this many bytes (<see cref="NoGcRegion"/>).</summary>
    public long NoGcRegionBytes { get; init; }

    /// <summary>How long the ledger check may take beyond <see cref="LedgerWait"/> (reading the run's events).</summary>
    public TimeSpan LedgerScanTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public string Model => ArrivalRate is null ? "closed" : "open";
}
