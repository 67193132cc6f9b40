using System.Text;
using System.Text.Json;

namespace Hyperstore.LoadTest.Http;

/// <summary>Reads a few top-level fields of a small JSON answer without building a document.</summary>
internal static class JsonFields
{
    public static string? String(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            return MoveTo(ref reader, name) && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static long? Int64(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            return MoveTo(ref reader, name) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value)
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool Contains(ReadOnlySpan<byte> json, string text) =>
        json.IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static bool MoveTo(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return false;
            }

            bool match = reader.ValueTextEquals(name);
            if (!reader.Read())
            {
                return false;
            }

            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
