namespace Hyperstore.LoadTest.Scenarios;

/// <summary>
/// What a virtual user does. <see cref="OnStartAsync"/> runs once per user (Locust's <c>on_start</c>);
/// <see cref="IterationAsync"/> runs again and again until the run ends (or, in the open model, once per arrival).
/// Add a scenario by deriving from this class and listing it in <see cref="ScenarioCatalog"/>.
/// </summary>
internal abstract class Scenario
{
    /// <summary>The name given to <c>--scenario</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>--help</c> and the reports.</summary>
    public abstract string Description { get; }

    public virtual Task OnStartAsync(UserContext user) => Task.CompletedTask;

    public abstract Task IterationAsync(UserContext user);
}

/// <summary>The scenarios <c>--scenario</c> can name. The first is the default.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } = [new StoreScenario(), new BrowseScenario(), new FlashSaleScenario()];

    public static Scenario Default => All[0];

    public static Scenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
