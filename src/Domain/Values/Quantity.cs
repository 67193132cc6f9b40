using System.Diagnostics.CodeAnalysis;

namespace Hyperstore.Domain.Values;

/// <summary>A non-negative number of hypers, at most <see cref="Max"/> so that every stock level stays exact in Lua (doubles).</summary>
public readonly record struct Quantity : IComparable<Quantity>
{
    /// <summary>The largest quantity and the largest stock level the ledger holds.</summary>
    public const long Max = 1_000_000_000;

    public long Value { get; }

    private Quantity(long value) => Value = value;

    public static Quantity Zero => default;

    public static Quantity Of(long value) =>
        TryCreate(value, out var quantity, out var error) ? quantity : throw new DomainValidationException(error);

    public static bool TryCreate(long value, out Quantity quantity, [NotNullWhen(false)] out string? error)
    {
        quantity = default;
        if (value < 0)
        {
            error = $"Quantity must not be negative (got {value}).";
            return false;
        }
        if (value > Max)
        {
            error = $"Quantity must be at most {Max} (got {value}).";
            return false;
        }
        quantity = new Quantity(value);
        error = null;
        return true;
    }

    public int CompareTo(Quantity other) => Value.CompareTo(other.Value);

    public static bool operator <(Quantity left, Quantity right) => left.Value < right.Value;
    public static bool operator >(Quantity left, Quantity right) => left.Value > right.Value;
    public static bool operator <=(Quantity left, Quantity right) => left.Value <= right.Value;
    public static bool operator >=(Quantity left, Quantity right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
