namespace Hyperstore.LoadTest.Scenarios;

/// <summary>Everyone buys and nobody restocks: the stock runs out and the sold-out path is exercised.</summary>
internal sealed class FlashSaleScenario : Scenario
{
    public override string Name => "flash-sale";

    public override string Description => "read once, buy once, never restock (runs the stock out)";

    public override async Task OnStartAsync(UserContext user) => await user.SignInAsync("read buy");

    public override async Task IterationAsync(UserContext user)
    {
        if (!await user.SignInAsync("read buy"))
        {
            await user.ThinkAsync();
            return;
        }

        await user.ReadStockAsync();
        await user.ThinkAsync();
        await user.BuyAsync(1);
        await user.ThinkAsync();
    }
}
