using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;

namespace Hyperstore.Api.Hosting;

/// <summary>Settings of the store (configuration section <c>Hyperstore</c>).</summary>
public sealed class HyperstoreOptions
{
    /// <summary>The region this instance serves when a request names none (<c>Hyperstore__Region</c>).</summary>
    public string Region { get; set; } = "eu";

    /// <summary>Every region the store knows (<c>Hyperstore__Regions</c>: comma-separated, or an array in JSON).</summary>
    public string[] Regions { get; set; } = [];

    public static readonly string[] DefaultRegions = ["eu", "na", "sa"];

    /// <summary>The most hypers one buy may take, so that one client cannot buy out the stock in one call.</summary>
    public long MaxBuyQuantity { get; set; } = BuyHyper.DefaultMaxPerOrder;

    /// <summary>How long a read that names <c>minPosition</c> waits for the projector before answering that it is stale.</summary>
    public TimeSpan ReadYourWritesTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The port <c>/metrics</c> answers on (<c>Hyperstore__MetricsPort</c>); unset: every port. The scrape endpoint has no
    /// authentication, so in production the API also listens on this port and the load balancer does not forward it.
    /// </summary>
    public int? MetricsPort { get; set; }

    /// <summary>
    /// How many connections the listening socket queues before the API accepts them (<c>Hyperstore__ListenBacklog</c>).
    /// Kestrel's own default is 512: a burst of arriving users overflows it while the core is busy, and every dropped
    /// SYN costs its client a retransmit 1 s later (then 3 s, 7 s). Linux caps it at <c>net.core.somaxconn</c> (4096).
    /// </summary>
    public int ListenBacklog { get; set; } = 4096;

    /// <summary>
    /// Run the request pipeline on the thread that received its bytes instead of handing it to the thread pool
    /// (<c>Hyperstore__InlineScheduling</c>; Kestrel's <c>UnsafePreferInlineScheduling</c>). Nothing in the pipeline
    /// blocks a thread, and on one vCPU every hand-off is a context switch. Turn it on only together with the runtime's
    /// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>: alone it made a GET cost more than twice as much
    /// (docs/performance.md).
    /// </summary>
    public bool InlineScheduling { get; set; }

    public bool IsKnownRegion(string? region) => region is not null && Regions.Contains(region, StringComparer.Ordinal);

    public Region DefaultRegion => Domain.Values.Region.Parse(Region);
}
