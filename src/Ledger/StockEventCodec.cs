using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using StackExchange.Redis;

namespace Hyperstore.Ledger;

/// <summary>
/// Maps events to and from stream entries. The Lua append script writes the same entry.
/// <para>Schema version 2 (written since 29 November 2026): one field, <c>event</c>, whose value packs the event as
/// <c>2|type|qty|before|after|client|cmd|at</c>. One field instead of eight makes Redis's XRANGE about 3.5 times
/// cheaper per entry and leaves the client three strings per entry to parse (id, name, value) instead of seventeen.</para>
/// <code>
/// type    HyperBought | HyperRestocked | StockLevelSet
/// qty     quantity bought / added / the level set
/// before  level before the event
/// after   level after the event
/// client  client id   (letters, digits, '.', '_', '-': never the separator)
/// cmd     command id  (the same and ':')
/// at      occurred at, unix milliseconds
/// </code>
/// <para>Schema version 1 (streams written before) had one field per value: <c>type</c>, <c>v</c> (1), <c>qty</c>,
/// <c>before</c>, <c>after</c>, <c>client</c>, <c>cmd</c>, <c>at</c>. It is still read.</para>
/// The region is not a field: it is the stream's key.
/// </summary>
public static class StockEventCodec
{
    public const string PackedField = "event";
    private static ReadOnlySpan<byte> PackedFieldUtf8 => "event"u8;
    private const byte Separator = (byte)'|';
    private const int PackedParts = 8;

    public static NameValueEntry[] Encode(StockEvent stockEvent) => [new(PackedField, Pack(stockEvent))];

    public static string Pack(StockEvent e) => string.Create(CultureInfo.InvariantCulture,
        $"{StockEvent.CurrentSchemaVersion}|{TypeName(e)}|{e.Quantity.Value}|{e.LevelBefore.Value}|{e.LevelAfter.Value}|{e.Client.Value}|{e.CommandId.Value}|{e.OccurredAt.ToUnixTimeMilliseconds()}");

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
        if (entry.Values is [{ Name: var name, Value: var value }] && IsPackedField(name))
        {
            return DecodePacked(region, entry, value);
        }
        if (Array.Exists(entry.Values, field => IsPackedField(field.Name)))
        {
            throw Undecodable(entry, $"a version 2 entry has the one field '{PackedField}' and no other");
        }
        return DecodeFields(region, entry);
    }

    private static bool IsPackedField(RedisValue name) => ((ReadOnlyMemory<byte>)name).Span.SequenceEqual(PackedFieldUtf8);

    private static StockEvent DecodePacked(Region region, StreamEntry entry, RedisValue value)
    {
        ReadOnlyMemory<byte> bytes = value;
        var text = bytes.Span;
        Span<Range> parts = stackalloc Range[PackedParts + 1];
        var count = 0;
        foreach (var part in text.Split(Separator))
        {
            if (count == parts.Length)
            {
                break;
            }
            parts[count++] = part;
        }
        if (count != PackedParts)
        {
            throw Undecodable(entry, $"the packed event has {(count > PackedParts ? "more than " + PackedParts : count)} parts, not {PackedParts}");
        }

        var version = ParseLong(text[parts[0]]);
        if (version != StockEvent.CurrentSchemaVersion)
        {
            throw Undecodable(entry, $"unsupported schema version '{Encoding.UTF8.GetString(text[parts[0]])}'");
        }
        var type = text[parts[1]];
        var kind = type.SequenceEqual("HyperBought"u8) ? nameof(HyperBought)
            : type.SequenceEqual("HyperRestocked"u8) ? nameof(HyperRestocked)
            : type.SequenceEqual("StockLevelSet"u8) ? nameof(StockLevelSet)
            : Encoding.UTF8.GetString(type);
        var client = RecentClients.Find(text[parts[5]]);
        return Create(region, entry, kind, (int)version,
            ParseLong(text[parts[2]]), ParseLong(text[parts[3]]), ParseLong(text[parts[4]]),
            client?.Value ?? Encoding.UTF8.GetString(text[parts[5]]), Encoding.UTF8.GetString(text[parts[6]]), ParseLong(text[parts[7]]),
            remember: client is null);
    }

    private static StockEvent DecodeFields(Region region, StreamEntry entry)
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
                default: break; // fields that version 1 did not have are ignored
            }
        }
        if (version != 1)
        {
            throw Undecodable(entry, $"unsupported schema version '{version?.ToString(CultureInfo.InvariantCulture) ?? "missing"}'");
        }
        return Create(region, entry, type, 1, quantity, before, after, client, command, at, remember: false);
    }

    private static StockEvent Create(Region region, StreamEntry entry, string? type, int version,
        long? quantity, long? before, long? after, string? client, string? command, long? at, bool remember)
    {
        if (quantity is null || before is null || after is null || at is null)
        {
            throw Undecodable(entry, "a numeric field (qty, before, after, at) is missing or not an integer");
        }
        if (!ClientId.TryParse(client, out var clientId, out var error)
            || !CommandId.TryParse(command, out var commandId, out error)
            || !Quantity.TryCreate(quantity.Value, out var qty, out error)
            || !Quantity.TryCreate(before.Value, out var levelBefore, out error)
            || !Quantity.TryCreate(after.Value, out var levelAfter, out error))
        {
            throw Undecodable(entry, error);
        }
        if (remember)
        {
            RecentClients.Remember(clientId);
        }
        if (at.Value < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || at.Value > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw Undecodable(entry, $"the time {at.Value} (unix ms) is out of range");
        }
        var occurredAt = DateTimeOffset.FromUnixTimeMilliseconds(at.Value);

        return type switch
        {
            nameof(HyperBought) => new HyperBought(region, qty, levelBefore, levelAfter, clientId, commandId, occurredAt) { SchemaVersion = version },
            nameof(HyperRestocked) => new HyperRestocked(region, qty, levelBefore, levelAfter, clientId, commandId, occurredAt) { SchemaVersion = version },
            nameof(StockLevelSet) => new StockLevelSet(region, qty, levelBefore, levelAfter, clientId, commandId, occurredAt) { SchemaVersion = version },
            _ => throw Undecodable(entry, $"unknown event type '{type}'"),
        };
    }

    /// <summary>
    /// The client ids decoded last. A stream's events come from a few clients, so most events find theirs here and
    /// need no new string. A slot holds one id; a colliding id replaces it.
    /// </summary>
    private static class RecentClients
    {
        private const int Slots = 64;
        private static readonly Slot?[] Cache = new Slot?[Slots];

        private sealed record Slot(byte[] Utf8, ClientId Id);

        public static ClientId? Find(ReadOnlySpan<byte> utf8) =>
            !utf8.IsEmpty && Cache[SlotOf(utf8)] is { } slot && utf8.SequenceEqual(slot.Utf8) ? slot.Id : null;

        public static void Remember(ClientId id)
        {
            var utf8 = Encoding.UTF8.GetBytes(id.Value);
            Cache[SlotOf(utf8)] = new Slot(utf8, id);
        }

        private static int SlotOf(ReadOnlySpan<byte> utf8)
        {
            var hash = 2166136261u; // FNV-1a: ids that differ in one inner character should land in different slots
            foreach (var b in utf8)
            {
                hash = (hash ^ b) * 16777619u;
            }
            return (int)(hash & (Slots - 1));
        }
    }

    private static UndecodableEventException Undecodable(StreamEntry entry, string reason) => new(entry.Id.ToString(), reason);

    // Utf8Parser, not long.TryParse: the same digits and optional sign, without the culture lookups, which a replay
    // of a million events paid five times per event.
    private static long? ParseLong(ReadOnlySpan<byte> utf8) =>
        Utf8Parser.TryParse(utf8, out long result, out var consumed) && consumed == utf8.Length ? result : null;

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
