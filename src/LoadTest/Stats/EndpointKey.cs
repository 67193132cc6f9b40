namespace Hyperstore.LoadTest.Stats;

/// <summary>One row of the statistics: Locust's Type (the HTTP method) and Name.</summary>
internal readonly record struct EndpointKey(string Method, string Name)
{
    public override string ToString() => $"{Method} {Name}";
}

/// <summary>How one request ended. Sold-out answers are a normal outcome of the store, not a failure.</summary>
internal enum Outcome
{
    Success,
    SoldOut,
    Failure,
}
