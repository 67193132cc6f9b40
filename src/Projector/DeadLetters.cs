using System.Globalization;
using System.Text.Json;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using StackExchange.Redis;

namespace Hyperstore.Projector;

/// <summary>Entries the projection could not apply, kept with the reason in <c>{hyper:&lt;region&gt;}:deadletter</c>.</summary>
public sealed class DeadLetters(Region region, IConnectionMultiplexer redis)
{
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
}
