namespace Hyperstore.LoadTest.Http;

/// <summary>An OAuth2 client (client_credentials grant).</summary>
internal sealed record ClientCredentials(string ClientId, string ClientSecret)
{
    public override string ToString() => $"{ClientId} (secret hidden)";

    public FormUrlEncodedContent TokenForm(string scope) => new(
    [
        new("grant_type", "client_credentials"),
        new("client_id", ClientId),
        new("client_secret", ClientSecret),
        new("scope", scope),
    ]);
}
