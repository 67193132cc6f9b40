using System.Globalization;
using System.Net;
using System.Text;

namespace Hyperstore.LoadTest.Reports;

/// <summary>A line chart as inline SVG: no script, no network, readable in any browser and in print.</summary>
internal static class SvgChart
{
    private const int Width = 960;
    private const int Height = 260;
    private const int Left = 64;
    private const int Right = 16;
    private const int Top = 30;
    private const int Bottom = 34;

    internal sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);

    public static string Line(string title, string unit, IReadOnlyList<Series> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.SelectMany(s => s.Points).ToList();
        double maxX = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.X));
        double maxY = NiceCeiling(points.Count == 0 ? 1 : points.Max(p => p.Y));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(double x) => Left + (x / maxX * plotW);
        double Y(double y) => Top + plotH - (y / maxY * plotH);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Encode(title)}\" class=\"chart\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" class=\"title\">{Encode(title)}</text>");

        double legendX = Width - Right;
        foreach (var s in series.Reverse())
        {
            legendX -= 16 + (7 * s.Name.Length);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{legendX:0}\" y=\"9\" width=\"10\" height=\"10\" fill=\"{s.Color}\"/><text x=\"{legendX + 13:0}\" y=\"18\" class=\"legend\">{Encode(s.Name)}</text>");
        }

        for (int i = 0; i <= 4; i++)
        {
            double value = maxY * i / 4;
            double y = Y(value);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" class=\"grid\"/><text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" class=\"axis\" text-anchor=\"end\">{Number(value)}{Encode(unit)}</text>");
        }

        int xTicks = 8;
        for (int i = 0; i <= xTicks; i++)
        {
            double seconds = maxX * i / xTicks;
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{X(seconds):0.#}\" y=\"{Height - 12}\" class=\"axis\" text-anchor=\"middle\">{Format.Duration(TimeSpan.FromSeconds(Math.Round(seconds)))}</text>");
        }

        foreach (var s in series.Where(s => s.Points.Count > 0))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\" points=\"");
            foreach (var (x, y) in s.Points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"{X(x):0.#},{Y(y):0.#} ");
            }

            svg.Append("\"><title>").Append(Encode(s.Name)).Append("</title></polyline>");
        }

        if (points.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" class=\"axis\" text-anchor=\"middle\">no data</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Number(double value) => value switch
    {
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
