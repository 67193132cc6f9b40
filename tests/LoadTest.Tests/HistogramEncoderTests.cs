using HdrHistogram;
using HdrHistogram.Utilities;
using Hyperstore.LoadTest.Stats;
using Xunit;

namespace Hyperstore.LoadTest.Tests;

public sealed class HistogramEncoderTests
{
    [Fact]
    public void Encode_IsReadByHdrHistogramsOwnDecoder()
    {
        var histogram = Recorded(1, 150, 999, 12_345, 250_000, 9_000_000);

        byte[] encoded = Convert.FromBase64String(new HistogramEncoder().Encode(histogram));
        var decoded = HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(encoded), LatencyHistograms.HighestTrackableMicros);

        AssertSameCounts(histogram, decoded);
    }

    [Fact]
    public void Decode_OfAHistogramWithAWiderRange_KeepsEveryCount()
    {
        // An hour's range (another tool's, or a longer-running client's), values within ours and one beyond it.
        var wide = new LongHistogram(3_600_000_000, LatencyHistograms.SignificantDigits);
        foreach (var micros in new long[] { 5, 1_500, 5_000_000, 1_000_000_000 })
        {
            wide.RecordValue(micros);
        }

        var decoded = LatencyHistograms.Decode(new HistogramEncoder().Encode(wide));

        Assert.Equal(4, decoded.TotalCount);
        Assert.InRange(decoded.GetValueAtPercentile(50), 1_499, 1_501);
        Assert.InRange(decoded.GetMaxValue(), LatencyHistograms.HighestTrackableMicros * 0.999, LatencyHistograms.HighestTrackableMicros * 1.001);
    }

    [Fact]
    public void Encode_ReusedForAnotherHistogram_EncodesItAsAFreshEncoderDoes()
    {
        var encoder = new HistogramEncoder();
        var large = LatencyHistograms.Create();
        var random = new Random(3);
        for (int i = 0; i < 100_000; i++)
        {
            large.RecordValue(LatencyHistograms.Clamp((long)Math.Exp(random.NextDouble() * 18)));
        }
        var small = Recorded(42, 43, 7_000);

        encoder.Encode(large);
        string reused = encoder.Encode(small);

        Assert.Equal(new HistogramEncoder().Encode(small), reused);
        AssertSameCounts(small, LatencyHistograms.Decode(reused));
    }

    [Fact]
    public void Encode_WhenNoRequestTookHalfASecond_AllocatesLessThanOneLargeObject()
    {
        // Once a second for the whole run: anything from 85,000 bytes would land on the large object heap, which
        // only full collections free (docs/performance.md). HdrHistogram itself still copies the counts up to the
        // slowest value, which is that large only for a second with a request slower than about 0.7 s.
        var encoder = new HistogramEncoder();
        var histogram = Recorded(1, 2_000, 60_000, 100_000);
        encoder.Encode(histogram);

        long before = GC.GetAllocatedBytesForCurrentThread();
        encoder.Encode(histogram);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, 84_999);
    }

    private static LongHistogram Recorded(params long[] micros)
    {
        var histogram = LatencyHistograms.Create();
        foreach (long value in micros)
        {
            histogram.RecordValue(value);
        }
        return histogram;
    }

    private static void AssertSameCounts(HistogramBase expected, HistogramBase actual)
    {
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        Assert.Equal(expected.GetMaxValue(), actual.GetMaxValue());
        foreach (double p in new[] { 10.0, 50, 90, 99, 100 })
        {
            Assert.Equal(expected.GetValueAtPercentile(p), actual.GetValueAtPercentile(p));
        }
    }
}
