using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Hyperstore.Ledger;

/// <summary>
/// A position in a region's stream: a Redis stream entry id <c>&lt;ms&gt;-&lt;seq&gt;</c>. Positions order events;
/// <see cref="Start"/> (<c>0-0</c>) is before the first event.
/// </summary>
public readonly record struct StreamPosition(long Milliseconds, long Sequence) : IComparable<StreamPosition>
{
    private const int MaxLength = 41; // two 20-digit numbers and the dash

    public static StreamPosition Start => default;

    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(Milliseconds);

    public static StreamPosition Parse(string? text) =>
        TryParse(text, out var position) ? position : throw NotAPosition(text);

    /// <summary>Parses an entry id as Redis returns it (UTF-8 bytes) without making a string of it: replays parse millions.</summary>
    public static StreamPosition Parse(RedisValue value) =>
        TryParse(((ReadOnlyMemory<byte>)value).Span, out var position) ? position : throw NotAPosition(value.ToString());

    public static bool TryParse([NotNullWhen(true)] string? text, out StreamPosition position)
    {
        position = default;
        Span<byte> utf8 = stackalloc byte[MaxLength];
        return text is not null && Encoding.UTF8.TryGetBytes(text, utf8, out var length) && TryParse(utf8[..length], out position);
    }

    /// <summary><c>&lt;ms&gt;-&lt;seq&gt;</c>, or <c>&lt;ms&gt;</c> alone (sequence 0), as XRANGE accepts it.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out StreamPosition position)
    {
        position = default;
        if (utf8.IsEmpty || utf8.Length > MaxLength)
        {
            return false;
        }
        var dash = utf8.IndexOf((byte)'-');
        var msText = dash < 0 ? utf8 : utf8[..dash];
        var seqText = dash < 0 ? "0"u8 : utf8[(dash + 1)..];
        if (!TryParseDigits(msText, out var ms) || !TryParseDigits(seqText, out var seq))
        {
            return false;
        }
        position = new StreamPosition(ms, seq);
        return true;
    }

    // Digits only (no sign, no spaces), as Redis writes ids; Utf8Parser alone would also take a sign.
    private static bool TryParseDigits(ReadOnlySpan<byte> utf8, out long value)
    {
        value = 0;
        return !utf8.IsEmpty && char.IsAsciiDigit((char)utf8[0])
            && Utf8Parser.TryParse(utf8, out value, out var consumed) && consumed == utf8.Length;
    }

    private static FormatException NotAPosition(string? text) => new($"'{text}' is not a stream position (expected <ms>-<seq>).");

    /// <summary>The last possible position at or before a point in time.</summary>
    public static StreamPosition AtTime(DateTimeOffset time) => new(time.ToUnixTimeMilliseconds(), long.MaxValue);

    public int CompareTo(StreamPosition other) =>
        Milliseconds != other.Milliseconds ? Milliseconds.CompareTo(other.Milliseconds) : Sequence.CompareTo(other.Sequence);

    public static bool operator <(StreamPosition left, StreamPosition right) => left.CompareTo(right) < 0;
    public static bool operator >(StreamPosition left, StreamPosition right) => left.CompareTo(right) > 0;
    public static bool operator <=(StreamPosition left, StreamPosition right) => left.CompareTo(right) <= 0;
    public static bool operator >=(StreamPosition left, StreamPosition right) => left.CompareTo(right) >= 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");
}
