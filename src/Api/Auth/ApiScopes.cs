namespace Hyperstore.Api.Auth;

/// <summary>The OAuth2 scopes a client can be granted; each endpoint requires one.</summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Buy = "buy";
    public const string Stock = "stock";
    public const string Audit = "audit";

    public static IReadOnlyList<string> All { get; } = [Read, Buy, Stock, Audit];
}
