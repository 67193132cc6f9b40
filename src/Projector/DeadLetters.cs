using System.Globalization;
using System.Text.Json;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using StackExchange.Redis;

namespace Hyperstore.Projector;

/// <summary>Entries the projection could not apply, kept with the reason in <c>{hyper:&lt;region&gt;}:deadletter</c>.</summary>
public sealed class DeadLetters(Region region, IConnectionMultiplexer redis)
{
    private const int PageSize = 1000;

    /// <param name="failedReads">Reads of the entry that failed in a row before it was given up (0: met while rebuilding).</param>
    public Task AddAsync(StreamEntry entry, string reason, int failedReads, string consumer) =>
        redis.GetDatabase().StreamAddAsync(new LedgerKeys(region).DeadLetters,
        [
            new NameValueEntry("entry", entry.Id),
            new NameValueEntry("reason", reason),
            new NameValueEntry("deliveries", failedReads.ToString(CultureInfo.InvariantCulture)),
            new NameValueEntry("consumer", consumer),
            new NameValueEntry("fields", JsonSerializer.Serialize(entry.Values.ToDictionary(v => (string)v.Name!, v => (string?)v.Value))),
        ]);

    /// <summary>
    /// Whether the entry already has a letter. Asked only for entries that cannot be decoded, so the stream is read in
    /// full (it stays small): an entry met again after a restart, a rebuild or a deleted read model gets no second letter.
    /// </summary>
    public async Task<bool> HoldsAsync(string entryId)
    {
        var database = redis.GetDatabase();
        var key = new LedgerKeys(region).DeadLetters;
        RedisValue after = "-";
        while (true)
        {
            var page = await database.StreamRangeAsync(key, after, "+", PageSize);
            if (Array.Exists(page, letter => letter["entry"] == entryId))
            {
                return true;
            }
            if (page.Length < PageSize)
            {
                return false;
            }
            after = "(" + page[^1].Id;
        }
    }
}
