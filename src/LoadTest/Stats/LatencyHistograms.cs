using System.Buffers.Binary;
using System.IO.Compression;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace Hyperstore.LoadTest.Stats;

/// <summary>
/// Creates and (de)serializes the latency histograms: values in microseconds, 3 significant digits,
/// encoded in HdrHistogram's standard compressed V2 format as base64 (the format <c>HistogramLogWriter</c>
/// writes), so other HdrHistogram tools can read them too.
/// </summary>
internal static class LatencyHistograms
{
    /// <summary>Ten minutes: anything slower is recorded as ten minutes.</summary>
    public const long HighestTrackableMicros = 600_000_000;

    public const int SignificantDigits = 3;

    public static LongHistogram Create() => new(HighestTrackableMicros, SignificantDigits);

    public static long Clamp(long micros) => Math.Clamp(micros, 1, HighestTrackableMicros);

    /// <summary>One histogram, encoded; <see cref="HistogramEncoder"/> reuses its buffers for many.</summary>
    public static string Encode(HistogramBase histogram) => new HistogramEncoder().Encode(histogram);

    /// <summary>The histogram <see cref="Encode"/> wrote; <see cref="InvalidDataException"/> when it is damaged.</summary>
    public static LongHistogram Decode(string? base64)
    {
        var result = Create();
        if (string.IsNullOrEmpty(base64))
        {
            return result;
        }

        try
        {
            var decoded = HistogramEncoding.DecodeFromByteBuffer(ByteBuffer.Allocate(Inflate(Convert.FromBase64String(base64))), HighestTrackableMicros);
            // Value by value, not Add: Add refuses a histogram whose range is wider than ours even when every value fits
            // (another tool's, or a client with a longer range); a value past ours counts at our highest.
            foreach (var value in decoded.RecordedValues())
            {
                result.RecordValueWithCount(Clamp(value.ValueIteratedTo), value.CountAtValueIteratedTo);
            }
            return result;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException or IndexOutOfRangeException
                                      or OverflowException or NotSupportedException)
        {
            // Base64, zlib and HdrHistogram each throw their own kind of error for a damaged payload: callers get one.
            throw new InvalidDataException($"not an encoded latency histogram ({e.Message})", e);
        }
    }

    /// <summary>
    /// The uncompressed encoding inside the compressed one: cookie and length (4 bytes each, big-endian), then zlib.
    /// HdrHistogram's own DecodeFromCompressedByteBuffer reads the inflated payload with a single Stream.Read, which
    /// returns only part of a large payload, and then refuses it ("does not contain the indicated payload amount").
    /// </summary>
    private static byte[] Inflate(byte[] compressed)
    {
        if (compressed.Length < 8)
        {
            throw new FormatException("The histogram is shorter than its header.");
        }
        int length = BinaryPrimitives.ReadInt32BigEndian(compressed.AsSpan(4));
        if (length < 0 || length > compressed.Length - 8)
        {
            throw new FormatException("The histogram is shorter than the length it declares.");
        }
        using var zlib = new ZLibStream(new MemoryStream(compressed, 8, length), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        zlib.CopyTo(inflated);
        return inflated.ToArray();
    }
}
