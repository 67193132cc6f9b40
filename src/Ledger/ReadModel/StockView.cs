namespace Hyperstore.Ledger.ReadModel;

/// <summary>A region's stock as the read model shows it: projected up to <see cref="Position"/>.</summary>
/// <param name="UpdatedAt">When the last applied event happened; null while nothing has been projected.</param>
public sealed record StockView(string Region, long Quantity, StreamPosition Position, DateTimeOffset? UpdatedAt, long EventCount);
