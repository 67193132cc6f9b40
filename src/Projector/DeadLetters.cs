using System.Globalization;
using System.Text.Json;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using StackExchange.Redis;

namespace Hyperstore.Projector;

/// <summary>
/// Entries the projection could not apply, kept with the reason in <c>{hyper:&lt;region&gt;}:deadletter</c>; their ids
/// also go, in the same transaction, to the set <c>{hyper:&lt;region&gt;}:deadletter:entries</c>.
/// </summary>
public sealed class DeadLetters(Region region, IConnectionMultiplexer redis)
{
    private readonly LedgerKeys _keys = new(region);

    /// <param name="failedReads">Reads of the entry that failed in a row before it was given up (0: met while rebuilding).</param>
    public async Task AddAsync(StreamEntry entry, string reason, int failedReads, string consumer)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.StreamAddAsync(_keys.DeadLetters,
        [
            new NameValueEntry("entry", entry.Id),
            new NameValueEntry("reason", reason),
            new NameValueEntry("deliveries", failedReads.ToString(CultureInfo.InvariantCulture)),
            new NameValueEntry("consumer", consumer),
            // Pairs in order, not an object: an entry written by hand can repeat a name, and the letter must keep it all.
            new NameValueEntry("fields", JsonSerializer.Serialize(entry.Values.Select(v => new[] { (string?)v.Name, (string?)v.Value }))),
        ]);
        _ = transaction.SetAddAsync(_keys.DeadLetteredEntries, entry.Id);
        await transaction.ExecuteAsync();
    }

    /// <summary>
    /// Whether the entry already has a letter: an entry met again after a restart, a rebuild or a deleted read model gets
    /// no second one. Letters written before 30 November 2026 are not in the set.
    /// </summary>
    public Task<bool> HoldsAsync(string entryId) => redis.GetDatabase().SetContainsAsync(_keys.DeadLetteredEntries, entryId);
}
