using System.Globalization;
using System.Text.RegularExpressions;

namespace Hyperstore.LoadTest.Cli;

/// <summary>Locust-style durations: <c>90</c> (seconds), <c>90s</c>, <c>500ms</c>, <c>5m</c>, <c>1h30m</c>.</summary>
internal static partial class Durations
{
    public static TimeSpan Parse(string text)
    {
        if (!TryParse(text, out var value))
        {
            throw new FormatException($"'{text}' is not a duration; write e.g. 90, 90s, 500ms, 5m or 1h30m.");
        }

        return value;
    }

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim().ToLowerInvariant();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return seconds >= 0;
        }

        var parts = Part().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
        {
            return false;
        }

        foreach (Match part in parts)
        {
            double n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            value += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
        }

        return true;
    }

    /// <summary>A think time: <c>1-2</c> or <c>1s-2s</c> (a range), <c>1.5</c> (fixed) or <c>0</c> (none).</summary>
    public static (TimeSpan Min, TimeSpan Max) ParseRange(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] ends = text.Split('-', 2, StringSplitOptions.TrimEntries);
        var min = Parse(ends[0]);
        var max = ends.Length == 2 ? Parse(ends[1]) : min;
        return max < min ? throw new FormatException($"'{text}': the upper end is below the lower end.") : (min, max);
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|h|m|s)")]
    private static partial Regex Part();
}
