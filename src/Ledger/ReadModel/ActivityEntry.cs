using System.Text.Json.Serialization;

namespace Hyperstore.Ledger.ReadModel;

/// <summary>One line of a region's activity log: who did what, when, how much.</summary>
public sealed record ActivityEntry(
    [property: JsonPropertyName("position")] string Position,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("client")] string Client,
    [property: JsonPropertyName("quantity")] long Quantity,
    [property: JsonPropertyName("stock")] long Stock,
    [property: JsonPropertyName("at")] DateTimeOffset At);
