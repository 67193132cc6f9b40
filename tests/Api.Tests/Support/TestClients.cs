namespace Hyperstore.Api.Tests.Support;

/// <summary>The OAuth2 clients every test starts with, one per role, registered through <c>ClientStore</c>.</summary>
public static class TestClients
{
    public const string Shopper = "shopper";
    public const string OtherShopper = "shopper-2";
    public const string Operator = "operator";
    public const string Auditor = "auditor";
    public const string Reader = "reader";

    public static IReadOnlyDictionary<string, string[]> Scopes { get; } = new Dictionary<string, string[]>
    {
        [Shopper] = ["read", "buy"],
        [OtherShopper] = ["read", "buy"],
        [Operator] = ["read", "stock"],
        [Auditor] = ["read", "audit"],
        [Reader] = ["read"],
    };
}
