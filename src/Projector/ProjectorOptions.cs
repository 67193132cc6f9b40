namespace Hyperstore.Projector;

/// <summary>Settings of the projector (configuration section <c>Projector</c>; regions come from <c>Hyperstore:Regions</c>).</summary>
public sealed class ProjectorOptions
{
    /// <summary>This replica's name in the lease and in the dead letters it writes; unique per process by default.</summary>
    public string ConsumerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Most events applied in one atomic step.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long one blocking read waits for new events.</summary>
    public TimeSpan ReadBlock { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a lease lasts without renewal: the longest a region goes unprojected after its projector dies.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the holder renews its lease, and a standby tries to take it.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Failed reads in a row (counted by this replica, in memory) after which an entry that cannot be decoded goes to the
    /// dead-letter stream. The name is kept from when a consumer group counted deliveries.
    /// </summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>Wait before an entry that failed is read again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Entries kept in each region's activity log.</summary>
    public int ActivityCap { get; set; } = 100;

    /// <summary>Applied events between two snapshots.</summary>
    public int SnapshotEvery { get; set; } = 10_000;

    /// <summary>Where /health and /metrics listen.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8081";

    /// <summary>Projection lag above which /health/ready reports the projector unhealthy.</summary>
    public TimeSpan MaxHealthyLag { get; set; } = TimeSpan.FromSeconds(30);
}
