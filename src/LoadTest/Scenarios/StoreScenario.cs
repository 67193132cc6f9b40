namespace Hyperstore.LoadTest.Scenarios;

/// <summary>
/// The PHP version's user, kept as the default: a token once; then reads 5–12 times, buys 1–3 times,
/// reads 2–5 times, fetches a <c>stock</c> token and sets the stock back to 500; then starts over.
/// </summary>
internal sealed class StoreScenario : Scenario
{
    public const int RestockLevel = 500;

    public override string Name => "store";

    public override string Description => "read 5-12x, buy 1-3x, read 2-5x, restock to 500 (the PHP version's user)";

    public override async Task OnStartAsync(UserContext user) => await user.SignInAsync("read buy");

    public override async Task IterationAsync(UserContext user)
    {
        if (!await user.SignInAsync("read buy"))
        {
            await user.ThinkAsync();
            return;
        }

        for (int i = user.Between(5, 12); i > 0; i--)
        {
            await user.ReadStockAsync();
            await user.ThinkAsync();
        }

        for (int i = user.Between(1, 3); i > 0; i--)
        {
            await user.BuyAsync(1);
            await user.ThinkAsync();
        }

        for (int i = user.Between(2, 5); i > 0; i--)
        {
            await user.ReadStockAsync();
            await user.ThinkAsync();
        }

        if (await user.FetchTokenAsync("stock") is { } stockToken)
        {
            await user.SetStockAsync(RestockLevel, stockToken);
        }

        await user.ThinkAsync();
    }
}
