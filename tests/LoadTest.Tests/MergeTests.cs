using FsCheck.Xunit;
using Hyperstore.LoadTest.Cli;
using Hyperstore.LoadTest.Reports;
using Hyperstore.LoadTest.Stats;
using Xunit;

namespace Hyperstore.LoadTest.Tests;

public sealed class MergeTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_764_400_000);
    private static readonly string[] Names = ["/api/hyper", "/api/hyper/own", "/oauth/token"];

    /// <summary>Each int stands for one request: which endpoint, outcome, second and latency.</summary>
    private static RunPart PartOf(IEnumerable<int> requests, string label)
    {
        var recorder = new StatsRecorder();
        var all = requests.Select(v => Math.Abs((long)v)).ToList();
        for (int second = 0; second < 5; second++)
        {
            foreach (long v in all.Where(v => v / 9 % 5 == second))
            {
                var outcome = (Outcome)(v / 3 % 3);
                recorder.Record(v % 3 == 1 ? "PUT" : "GET", Names[v % 3], 1 + (v * 7919 % 3_000_000), v % 700, outcome,
                    outcome == Outcome.Failure ? $"HTTP {500 + (v % 2)}" : null);
            }

            recorder.CloseInterval(T0.ToUnixTimeSeconds() + second + 1, 0, 0);
        }

        return new RunPart
        {
            RegionLabel = label,
            Host = "http://127.0.0.1/",
            Scenario = "store",
            Model = "closed",
            StartedAt = T0,
            EndedAt = T0.AddSeconds(5),
            Client = new ClientUsage(),
            Endpoints = recorder.EndpointRecords(),
            Failures = recorder.FailureRecords(),
            History = recorder.HistoryRecords(),
        };
    }

    [Property(MaxTest = 40)]
    public void Merge_OfTwoResults_EqualsTheResultOverTheUnionOfTheirRequests(int[] a, int[] b)
    {
        var merged = new StatsView(MergeCommand.Merge([new RunResult { Runs = [PartOf(a, "eu")] }, new RunResult { Runs = [PartOf(b, "us")] }]).Runs);
        var union = new StatsView([PartOf([.. a, .. b], "all")]);

        Assert.Equal(CsvReport.Stats(union), CsvReport.Stats(merged));
        Assert.Equal(CsvReport.History(union), CsvReport.History(merged));
        Assert.Equal(CsvReport.Failures(union), CsvReport.Failures(merged));
        Assert.Equal(2, merged.PerRegion().Count);
    }

    [Fact]
    public void Merge_KeepsEachRegionAndSumsExactly()
    {
        var eu = PartOf(Enumerable.Range(0, 300), "eu");
        var us = PartOf(Enumerable.Range(1000, 200), "us");

        var view = new StatsView(MergeCommand.Merge([new RunResult { Runs = [us] }, new RunResult { Runs = [eu] }]).Runs);

        Assert.Equal(500, view.Aggregated.Requests);
        Assert.Equal(500, view.Aggregated.Histogram.TotalCount);
        Assert.Equal(["eu", "us"], view.PerRegion().Select(r => r.Label));
        Assert.Equal(300, view.PerRegion()[0].View.Aggregated.Requests);
        Assert.Equal(Math.Max(new StatsView([eu]).Aggregated.MaxMs, new StatsView([us]).Aggregated.MaxMs), view.Aggregated.MaxMs);
    }

    [Fact]
    public void Histogram_SurvivesTheJsonEncoding()
    {
        var histogram = LatencyHistograms.Create();
        foreach (long micros in new long[] { 1, 150, 999, 1_000, 12_345, 250_000, 9_000_000, LatencyHistograms.HighestTrackableMicros })
        {
            histogram.RecordValue(micros);
        }

        var decoded = LatencyHistograms.Decode(LatencyHistograms.Encode(histogram));

        Assert.Equal(histogram.TotalCount, decoded.TotalCount);
        foreach (double p in new[] { 10.0, 50, 90, 99, 100 })
        {
            Assert.Equal(histogram.GetValueAtPercentile(p), decoded.GetValueAtPercentile(p));
        }
    }

    public static TheoryData<string> DamagedHistograms()
    {
        string good = LatencyHistograms.Encode(LatencyHistograms.Create());
        byte[] bytes = Convert.FromBase64String(good);
        byte[] badDeflate = (byte[])bytes.Clone();
        badDeflate[8] ^= 0xff;
        // A whole zlib stream that inflates to something that is not an HdrHistogram encoding.
        using var zlibBuffer = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(zlibBuffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(new byte[64]);
        }
        byte[] notHistogram = [.. bytes[..4], 0, 0, 0, (byte)zlibBuffer.Length, .. zlibBuffer.ToArray()];
        return new TheoryData<string>
        {
            "not base64!",
            "AAAA",
            Convert.ToBase64String(bytes[..(bytes.Length - 3)]),
            Convert.ToBase64String(badDeflate),
            Convert.ToBase64String(notHistogram),
        };
    }

    [Theory]
    [MemberData(nameof(DamagedHistograms))]
    public void Decode_OfADamagedHistogram_ThrowsInvalidData(string damaged)
    {
        var error = Assert.Throws<InvalidDataException>(() => LatencyHistograms.Decode(damaged));
        Assert.StartsWith("not an encoded latency histogram", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_WithThousandsOfDistinctLatencies_SurvivesTheJsonEncoding()
    {
        // A loaded second spreads its latencies over thousands of buckets: the encoded payload no longer inflates in
        // one read of the compressed stream (a 10,000-user run lost its whole report to that).
        var histogram = LatencyHistograms.Create();
        var random = new Random(7);
        for (int i = 0; i < 200_000; i++)
        {
            histogram.RecordValue(LatencyHistograms.Clamp((long)Math.Exp(random.NextDouble() * 16)));
        }

        var decoded = LatencyHistograms.Decode(LatencyHistograms.Encode(histogram));

        Assert.Equal(histogram.TotalCount, decoded.TotalCount);
        foreach (double p in new[] { 10.0, 50, 90, 99, 99.9, 100 })
        {
            Assert.Equal(histogram.GetValueAtPercentile(p), decoded.GetValueAtPercentile(p));
        }
    }
}
