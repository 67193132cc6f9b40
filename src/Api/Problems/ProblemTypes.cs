namespace Hyperstore.Api.Problems;

/// <summary>The stable <c>type</c> URIs of every problem the API answers with (RFC 9457). docs/api.md lists them.</summary>
public static class ProblemTypes
{
    private const string Base = "https://hyperstore.cc/problems/";

    public const string Validation = Base + "validation";
    public const string MalformedRequest = Base + "malformed-request";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string PayloadTooLarge = Base + "payload-too-large";
    public const string SoldOut = Base + "sold-out";
    public const string StockLimit = Base + "stock-limit";
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";
    public const string StaleRead = Base + "stale-read";
    public const string RateLimited = Base + "rate-limited";
    public const string Unavailable = Base + "unavailable";
    public const string UnreadableEntry = Base + "unreadable-entry";
    public const string NotFound = Base + "not-found";
    public const string MethodNotAllowed = Base + "method-not-allowed";
    public const string Internal = Base + "internal";
}
