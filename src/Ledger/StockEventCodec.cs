using System.Globalization;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using StackExchange.Redis;

namespace Hyperstore.Ledger;

/// <summary>
/// Maps events to and from stream entry fields. The Lua append script writes the same fields in the same order
/// (identical field lists let Redis store the names once per stream node). Schema version 1:
/// <code>
/// type    HyperBought | HyperRestocked | StockLevelSet
/// v       schema version (1)
/// qty     quantity bought / added / the level set
/// before  level before the event
/// after   level after the event
/// client  client id
/// cmd     command id (idempotency key)
/// at      occurred at, unix milliseconds
/// </code>
/// The region is not a field: it is the stream's key.
/// </summary>
public static class StockEventCodec
{
    public static NameValueEntry[] Encode(StockEvent stockEvent) =>
    [
        new("type", TypeName(stockEvent)),
        new("v", stockEvent.SchemaVersion),
        new("qty", stockEvent.Quantity.Value),
        new("before", stockEvent.LevelBefore.Value),
        new("after", stockEvent.LevelAfter.Value),
        new("client", stockEvent.Client.Value),
        new("cmd", stockEvent.CommandId.Value),
        new("at", stockEvent.OccurredAt.ToUnixTimeMilliseconds()),
    ];

    public static string TypeName(StockEvent stockEvent) => stockEvent switch
    {
        HyperBought => nameof(HyperBought),
        HyperRestocked => nameof(HyperRestocked),
        StockLevelSet => nameof(StockLevelSet),
        _ => throw new ArgumentOutOfRangeException(nameof(stockEvent), stockEvent, "Unknown event."),
    };

    /// <summary>Decodes a stream entry; throws <see cref="UndecodableEventException"/> for anything malformed.</summary>
    public static StockEvent Decode(Region region, StreamEntry entry)
    {
        string? type = null, client = null, command = null;
        long? version = null, quantity = null, before = null, after = null, at = null;
        foreach (var field in entry.Values)
        {
            switch ((string?)field.Name)
            {
                case "type": type = field.Value; break;
                case "v": version = ParseLong(field.Value); break;
                case "qty": quantity = ParseLong(field.Value); break;
                case "before": before = ParseLong(field.Value); break;
                case "after": after = ParseLong(field.Value); break;
                case "client": client = field.Value; break;
                case "cmd": command = field.Value; break;
                case "at": at = ParseLong(field.Value); break;
                default: break; // fields added by a later schema version are ignored by this one
            }
        }

        var id = entry.Id.ToString();
        if (version != StockEvent.CurrentSchemaVersion)
        {
            throw new UndecodableEventException(id, $"unsupported schema version '{version?.ToString(CultureInfo.InvariantCulture) ?? "missing"}'");
        }
        if (quantity is null || before is null || after is null || at is null)
        {
            throw new UndecodableEventException(id, "a numeric field (qty, before, after, at) is missing or not an integer");
        }
        if (!ClientId.TryParse(client, out var clientId, out var clientError)
            || !CommandId.TryParse(command, out var commandId, out clientError))
        {
            throw new UndecodableEventException(id, clientError);
        }
        if (!Quantity.TryCreate(quantity.Value, out var qty, out var error)
            || !Quantity.TryCreate(before.Value, out var levelBefore, out error)
            || !Quantity.TryCreate(after.Value, out var levelAfter, out error))
        {
            throw new UndecodableEventException(id, error);
        }
        var occurredAt = DateTimeOffset.FromUnixTimeMilliseconds(at.Value);

        return type switch
        {
            nameof(HyperBought) => new HyperBought(region, qty, levelBefore, levelAfter, clientId, commandId, occurredAt),
            nameof(HyperRestocked) => new HyperRestocked(region, qty, levelBefore, levelAfter, clientId, commandId, occurredAt),
            nameof(StockLevelSet) => new StockLevelSet(region, qty, levelBefore, levelAfter, clientId, commandId, occurredAt),
            _ => throw new UndecodableEventException(id, $"unknown event type '{type}'"),
        };
    }

    private static long? ParseLong(RedisValue value) =>
        long.TryParse((string?)value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result) ? result : null;
}

/// <summary>A stream entry that is not a valid event of any known schema version.</summary>
public sealed class UndecodableEventException(string entryId, string reason)
    : Exception($"Stream entry {entryId} cannot be decoded: {reason}.")
{
    public string EntryId { get; } = entryId;
    public string Reason { get; } = reason;
}
