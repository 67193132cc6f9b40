using System.Runtime.CompilerServices;
using Hyperstore.Domain;
using Hyperstore.Domain.Values;
using StackExchange.Redis;

namespace Hyperstore.Ledger;

/// <summary>
/// Reads a region's stream in pages, from any position, and replays it through the domain's
/// <see cref="StockDecider.Evolve"/>. Never loads a whole stream at once.
/// </summary>
public sealed class EventStreamReader(IConnectionMultiplexer redis)
{
    // A page arrives as one StreamEntry[] (48 bytes per entry in StackExchange.Redis 3.4). Up to 1,770 entries that array
    // stays under .NET's 85,000-byte large-object threshold; a page of 5,000 (240 KB) went to the large object heap,
    // cleared in full on each allocation, often on pages fresh from the kernel, and freed only by gen2 collections: the
    // replay then spent about a third of its time in the GC, clearing memory and page faults, and replayed at 0.53-0.63
    // times the speed of pages of 1,500 (docs/performance.md). Each page still costs a round trip, which the read-ahead
    // in ReadAsync hides; a page of 1,500 holds Redis for about 0.4 ms, not 1.2-1.5.
    public const int DefaultPageSize = 1500;

    /// <summary>
    /// Events strictly after <paramref name="after"/> and at or before <paramref name="upTo"/>, oldest first. An entry that
    /// is not an event this version can read throws <see cref="UndecodableEventException"/>, unless
    /// <paramref name="onUndecodable"/> is given: then it is reported there and stepped over, as the projection does.
    /// </summary>
    public async IAsyncEnumerable<RecordedEvent> ReadAsync(Region region, StreamPosition after, StreamPosition? upTo = null,
        int pageSize = DefaultPageSize, Action<UndecodableEventException>? onUndecodable = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        Task<StreamEntry[]>? next = FetchAsync(region, after.ToString(), pageSize, upTo);
        try
        {
            while (next is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entries = await next;
                // Ask for the next page before decoding this one: Redis prepares it while this one is decoded and folded.
                next = entries.Length == pageSize ? FetchAsync(region, entries[^1].Id!, pageSize, upTo) : null;
                foreach (var entry in entries)
                {
                    if (onUndecodable is null)
                    {
                        yield return Decode(region, entry);
                    }
                    else if (TryDecode(region, entry, onUndecodable) is { } recorded)
                    {
                        yield return recorded;
                    }
                }
            }
        }
        finally
        {
            // A reader that stops early leaves the page asked for ahead unread; its failure is nobody's to report.
            next?.ContinueWith(static page => page.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        }
    }

    /// <summary>At most <paramref name="count"/> events strictly after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadPageAsync(Region region, StreamPosition after, int count,
        StreamPosition? upTo = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var entries = await FetchAsync(region, after.ToString(), count, upTo);
        return Array.ConvertAll(entries, entry => Decode(region, entry));
    }

    private Task<StreamEntry[]> FetchAsync(Region region, string after, int count, StreamPosition? upTo) =>
        redis.GetDatabase().StreamRangeAsync(new LedgerKeys(region).Events, minId: "(" + after, maxId: upTo?.ToString() ?? "+", count: count);

    private static RecordedEvent Decode(Region region, StreamEntry entry) =>
        new(StreamPosition.Parse(entry.Id), StockEventCodec.Decode(region, entry));

    private static RecordedEvent? TryDecode(Region region, StreamEntry entry, Action<UndecodableEventException> onUndecodable)
    {
        try
        {
            return Decode(region, entry);
        }
        catch (UndecodableEventException e)
        {
            onUndecodable(e);
            return null;
        }
    }

    /// <summary>
    /// Rebuilds the state as of <paramref name="upTo"/> (the stream's end when null), starting from
    /// <paramref name="from"/> (a snapshot) or from the beginning.
    /// </summary>
    public async Task<ReplayResult> ReplayAsync(Region region, StreamPosition? upTo = null, ReplayResult? from = null,
        int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        var state = from?.State ?? StockState.Initial(region);
        var position = from?.Position ?? StreamPosition.Start;
        await foreach (var recorded in ReadAsync(region, position, upTo, pageSize, cancellationToken: cancellationToken))
        {
            state = StockDecider.Evolve(state, recorded.Event);
            position = recorded.Position;
        }
        return new ReplayResult(state, position);
    }

    /// <summary>The position of the newest event, or <see cref="StreamPosition.Start"/> for an empty stream.</summary>
    public async Task<StreamPosition> HeadAsync(Region region)
    {
        var last = await redis.GetDatabase().StreamRangeAsync(new LedgerKeys(region).Events, "-", "+", 1, Order.Descending);
        return last.Length == 0 ? StreamPosition.Start : StreamPosition.Parse(last[0].Id);
    }

    /// <summary>
    /// The newest position the stream ever gave out (Redis keeps it when entries are deleted or trimmed), or
    /// <see cref="StreamPosition.Start"/> when the stream does not exist.
    /// </summary>
    public async Task<StreamPosition> LastGeneratedAsync(Region region)
    {
        var events = new LedgerKeys(region).Events;
        var database = redis.GetDatabase();
        if (!await database.KeyExistsAsync(events))
        {
            return StreamPosition.Start;
        }
        return StreamPosition.Parse((await database.StreamInfoAsync(events)).LastGeneratedId.ToString());
    }

    public Task<long> LengthAsync(Region region) => redis.GetDatabase().StreamLengthAsync(new LedgerKeys(region).Events);
}

/// <summary>A replayed state and the position of the last event folded into it.</summary>
public sealed record ReplayResult(StockState State, StreamPosition Position);
