using System.Globalization;
using System.Text.Json;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using StackExchange.Redis;

namespace Hyperstore.Projector;

/// <summary>Entries the projection could not apply, kept with the reason in <c>{hyper:&lt;region&gt;}:deadletter</c>.</summary>
public sealed class DeadLetters(Region region, IConnectionMultiplexer redis)
{
    public Task AddAsync(StreamEntry entry, string reason, int deliveries, string consumer) =>
        redis.GetDatabase().StreamAddAsync(new LedgerKeys(region).DeadLetters,
        [
            new NameValueEntry("entry", entry.Id),
            new NameValueEntry("reason", reason),
            new NameValueEntry("deliveries", deliveries.ToString(CultureInfo.InvariantCulture)),
            new NameValueEntry("consumer", consumer),
            new NameValueEntry("fields", JsonSerializer.Serialize(entry.Values.ToDictionary(v => (string)v.Name!, v => (string?)v.Value))),
        ]);
}
