using System.Text.Json.Serialization;

namespace Hyperstore.Ledger.ReadModel;

/// <summary>Source-generated JSON for what the read model stores as text (the activity lines).</summary>
[JsonSerializable(typeof(ActivityEntry))]
internal sealed partial class ReadModelJsonContext : JsonSerializerContext;
