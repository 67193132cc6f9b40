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
    public const int DefaultPageSize = 1000;

    /// <summary>Events strictly after <paramref name="after"/> and at or before <paramref name="upTo"/>, oldest first.</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadAsync(Region region, StreamPosition after, StreamPosition? upTo = null,
        int pageSize = DefaultPageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var position = after;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await ReadPageAsync(region, position, pageSize, upTo);
            foreach (var recorded in page)
            {
                yield return recorded;
            }
            if (page.Count < pageSize)
            {
                yield break;
            }
            position = page[^1].Position;
        }
    }

    /// <summary>At most <paramref name="count"/> events strictly after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadPageAsync(Region region, StreamPosition after, int count,
        StreamPosition? upTo = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var entries = await redis.GetDatabase().StreamRangeAsync(
            new LedgerKeys(region).Events, minId: "(" + after, maxId: upTo?.ToString() ?? "+", count: count);
        var events = new RecordedEvent[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            events[i] = new RecordedEvent(StreamPosition.Parse(entries[i].Id), StockEventCodec.Decode(region, entries[i]));
        }
        return events;
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
        await foreach (var recorded in ReadAsync(region, position, upTo, pageSize, cancellationToken))
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

    public Task<long> LengthAsync(Region region) => redis.GetDatabase().StreamLengthAsync(new LedgerKeys(region).Events);
}

/// <summary>A replayed state and the position of the last event folded into it.</summary>
public sealed record ReplayResult(StockState State, StreamPosition Position);
