using HdrHistogram;
using HdrHistogram.Utilities;

namespace Hyperstore.LoadTest.Stats;

/// <summary>
/// Creates and (de)serializes the latency histograms: values in microseconds, 3 significant digits,
/// encoded in HdrHistogram's standard compressed V2 format as base64 (the same payload that
/// <c>HistogramLogWriter</c> writes), so other HdrHistogram tools can read them too.
/// </summary>
internal static class LatencyHistograms
{
    /// <summary>Ten minutes: anything slower is recorded as ten minutes.</summary>
    public const long HighestTrackableMicros = 600_000_000;

    public const int SignificantDigits = 3;

    public static LongHistogram Create() => new(HighestTrackableMicros, SignificantDigits);

    public static long Clamp(long micros) => Math.Clamp(micros, 1, HighestTrackableMicros);

    public static string Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        int length = histogram.EncodeIntoCompressedByteBuffer(buffer);
        // ByteBuffer keeps its array to itself: read the encoded bytes back one by one.
        var bytes = new byte[length];
        buffer.Position = 0;
        for (int i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return Convert.ToBase64String(bytes);
    }

    public static LongHistogram Decode(string? base64)
    {
        var result = Create();
        if (string.IsNullOrEmpty(base64))
        {
            return result;
        }

        var buffer = ByteBuffer.Allocate(Convert.FromBase64String(base64));
        var decoded = HistogramEncoding.DecodeFromCompressedByteBuffer(buffer, HighestTrackableMicros);
        result.Add(decoded);
        return result;
    }
}
