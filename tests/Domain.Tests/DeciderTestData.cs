using Hyperstore.Domain.Values;

namespace Hyperstore.Domain.Tests;

internal static class DeciderTestData
{
    public static readonly Region Eu = Region.Parse("eu");
    public static readonly ClientId Client = ClientId.Parse("shopper");
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    public static StockState Stock(long level) => StockState.Initial(Eu) with { Level = Quantity.Of(level) };

    public static CommandId Id(string text = "cmd-1") => CommandId.Parse(text);
}
