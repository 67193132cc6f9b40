using System.Buffers.Binary;
using System.IO.Compression;
using HdrHistogram;
using HdrHistogram.Encoding;
using HdrHistogram.Utilities;

namespace Hyperstore.LoadTest.Stats;

/// <summary>
/// Encodes latency histograms in HdrHistogram's compressed V2 format, reusing its buffers, for the run's
/// once-a-second history. The library's own compressed encoding allocates three arrays the size of a whole
/// histogram (about 165 KB for ours) on every call and deflates a whole one, mostly zeros; arrays that large go to
/// the large object heap, which only full collections free (docs/performance.md). What is left is the library's
/// copy of the counts up to the slowest value, a large object only when that value is above about 0.7 s.
/// Not thread-safe.
/// </summary>
internal sealed class HistogramEncoder
{
    // HdrHistogram's compressed V2 cookie: the V2 base with the word-size nibble its encoders write.
    private const int CompressedCookie = 0x1c849304 | 0x10;

    private ByteBuffer? _counts;
    private byte[] _used = [];

    public string Encode(HistogramBase histogram)
    {
        int capacity = histogram.GetNeededByteBufferCapacity();
        if (_counts is null || _counts.Capacity() < capacity)
        {
            _counts = ByteBuffer.Allocate(capacity);
        }

        _counts.Position = 0;
        int length = histogram.Encode(_counts, HistogramEncoderV2.Instance);

        // ByteBuffer keeps its array to itself: the used part is read out byte by byte (a few KB for a second's worth).
        if (_used.Length < length)
        {
            _used = new byte[length];
        }
        _counts.Position = 0;
        for (int i = 0; i < length; i++)
        {
            _used[i] = _counts.Get();
        }

        // Cookie and compressed length (big-endian), then the zlib stream of the encoding's used part.
        // A second's histogram compresses to a few KB, so this stream's array stays a small object.
        using var output = new MemoryStream();
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, CompressedCookie);
        output.Write(header);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(_used, 0, length);
        }

        byte[] encoded = output.GetBuffer();
        BinaryPrimitives.WriteInt32BigEndian(encoded.AsSpan(4), (int)output.Length - 8);
        return Convert.ToBase64String(encoded, 0, (int)output.Length);
    }
}
