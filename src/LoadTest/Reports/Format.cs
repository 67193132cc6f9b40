using System.Globalization;

namespace Hyperstore.LoadTest.Reports;

internal static class Format
{
    public static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Milliseconds with the precision that matters: 0.42, 12.3, 123.</summary>
    public static string Ms(double ms) => ms switch
    {
        < 10 => ms.ToString("0.00", Invariant),
        < 100 => ms.ToString("0.0", Invariant),
        _ => ms.ToString("0", Invariant),
    };

    public static string Rate(double perSecond) => perSecond.ToString("0.00", Invariant);

    public static string Count(long n) => n.ToString("N0", Invariant);

    public static string Percent(double ratio) => (ratio * 100).ToString("0.00", Invariant) + "%";

    public static string Type(string method) => method;

    public static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? t.ToString(@"h\:mm\:ss", Invariant)
        : t.ToString(@"m\:ss", Invariant);
}
