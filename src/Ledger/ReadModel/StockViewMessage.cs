using System.Globalization;
using Hyperstore.Domain.Values;
using StackExchange.Redis;

namespace Hyperstore.Ledger.ReadModel;

/// <summary>
/// The message that <c>project.lua</c> and <c>switch_read_model.lua</c> publish on a read model's
/// <see cref="ReadModelKeys.Changes"/> channel whenever its stock view changes:
/// <c>1|position|quantity|updatedAt|events</c>, with <c>updatedAt</c> (unix ms) empty while nothing has been applied.
/// </summary>
public static class StockViewMessage
{
    public static string Format(StockView view) => string.Create(CultureInfo.InvariantCulture,
        $"1|{view.Position}|{view.Quantity}|{view.UpdatedAt?.ToUnixTimeMilliseconds()}|{view.EventCount}");

    public static bool TryParse(Region region, RedisValue message, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StockView? view)
    {
        view = null;
        var parts = ((string?)message ?? string.Empty).Split('|');
        if (parts is not ["1", var position, var quantity, var updatedAt, var events]
            || !StreamPosition.TryParse(position, out var at)
            || !long.TryParse(quantity, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var level)
            || !long.TryParse(events, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return false;
        }
        DateTimeOffset? updated = null;
        if (updatedAt.Length > 0)
        {
            if (!long.TryParse(updatedAt, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return false;
            }
            updated = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        view = new StockView(region.Value, level, at, updated, count);
        return true;
    }
}
