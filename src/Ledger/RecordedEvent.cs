using Hyperstore.Domain.Events;

namespace Hyperstore.Ledger;

/// <summary>An event as stored: where it stands in its region's stream, and what it says.</summary>
public readonly record struct RecordedEvent(StreamPosition Position, StockEvent Event);
