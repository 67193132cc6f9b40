using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hyperstore.Api.Store;

/// <summary>
/// Source-generated JSON for the store's hot endpoints (first in the resolver chain; other types keep reflection). The
/// options match the API's, so System.Text.Json can write these answers with the generated fast path.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(StoreApi.QuantityRequest))]
[JsonSerializable(typeof(StoreApi.StockResponse))]
[JsonSerializable(typeof(StoreApi.StockResponse[]))]
[JsonSerializable(typeof(StoreApi.BuyResponse))]
[JsonSerializable(typeof(StoreApi.StockChangeResponse))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
