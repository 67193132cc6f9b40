using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hyperstore.LoadTest;

/// <summary>The answer of <c>GET /api/audit/verify</c>.</summary>
internal sealed record VerifyAnswer
{
    public string? Region { get; init; }
    public bool Consistent { get; init; }
    public long? WriteStock { get; init; }
    public long? ReplayStock { get; init; }
    public long? ReadModelStock { get; init; }
    public string? StreamHead { get; init; }
    public string? ReadModelPosition { get; init; }
    public long EventsBehind { get; init; }
    public long Events { get; init; }
    public IReadOnlyList<JsonElement>? Differences { get; init; }
}

/// <summary>The answer of <c>GET /api/audit/events</c>: one page of the ledger.</summary>
internal sealed record EventsPage
{
    public string? Region { get; init; }
    public IReadOnlyList<LedgerEvent> Events { get; init; } = [];
    public string? Next { get; init; }
}

internal sealed record LedgerEvent
{
    public string Position { get; init; } = "";
    public string Type { get; init; } = "";
    public long? Quantity { get; init; }
    public long? LevelBefore { get; init; }
    public long? LevelAfter { get; init; }
    public string? Client { get; init; }
    public string? CommandId { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(VerifyAnswer))]
[JsonSerializable(typeof(EventsPage))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
