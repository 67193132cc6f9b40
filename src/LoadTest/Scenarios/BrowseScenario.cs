namespace Hyperstore.LoadTest.Scenarios;

/// <summary>Only reads: the read model's throughput without writes.</summary>
internal sealed class BrowseScenario : Scenario
{
    public override string Name => "browse";

    public override string Description => "read the stock 10x per iteration, never buy";

    public override async Task OnStartAsync(UserContext user) => await user.SignInAsync("read");

    public override async Task IterationAsync(UserContext user)
    {
        if (!await user.SignInAsync("read"))
        {
            await user.ThinkAsync();
            return;
        }

        for (int i = 0; i < 10; i++)
        {
            await user.ReadStockAsync();
            await user.ThinkAsync();
        }
    }
}
