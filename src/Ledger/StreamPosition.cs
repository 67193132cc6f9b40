using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Hyperstore.Ledger;

/// <summary>
/// A position in a region's stream: a Redis stream entry id <c>&lt;ms&gt;-&lt;seq&gt;</c>. Positions order events;
/// <see cref="Start"/> (<c>0-0</c>) is before the first event.
/// </summary>
public readonly record struct StreamPosition(long Milliseconds, long Sequence) : IComparable<StreamPosition>
{
    public static StreamPosition Start => default;

    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(Milliseconds);

    public static StreamPosition Parse(string? text) =>
        TryParse(text, out var position) ? position : throw new FormatException($"'{text}' is not a stream position (expected <ms>-<seq>).");

    public static bool TryParse([NotNullWhen(true)] string? text, out StreamPosition position)
    {
        position = default;
        if (string.IsNullOrEmpty(text) || text.Length > 41)
        {
            return false;
        }
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var msText = dash < 0 ? text.AsSpan() : text.AsSpan(0, dash);
        var seqText = dash < 0 ? "0".AsSpan() : text.AsSpan(dash + 1);
        if (!long.TryParse(msText, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !long.TryParse(seqText, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return false;
        }
        position = new StreamPosition(ms, seq);
        return true;
    }

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
