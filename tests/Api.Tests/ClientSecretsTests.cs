using Hyperstore.Api.Auth;
using Xunit;

namespace Hyperstore.Api.Tests;

public class ClientSecretsTests
{
    [Fact]
    public void Generate_MakesBase64UrlSecretsThatNeverStartLikeAnOption()
    {
        // 1 in 64 raw secrets starts with '-': 10,000 draws would meet about 156 of them.
        var secrets = Enumerable.Range(0, 10_000).Select(_ => ClientSecrets.Generate()).ToList();

        Assert.All(secrets, secret =>
        {
            Assert.Equal(43, secret.Length);
            Assert.NotEqual('-', secret[0]);
            Assert.Matches("^[A-Za-z0-9_-]+$", secret);
        });
        Assert.Equal(secrets.Count, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Matches_OnlyTheSecretItsHashWasMadeFrom()
    {
        var secret = ClientSecrets.Generate();
        var hash = ClientSecrets.Hash(secret);

        Assert.True(ClientSecrets.Matches(secret, hash));
        Assert.False(ClientSecrets.Matches(secret + "x", hash));
        Assert.False(ClientSecrets.Matches(secret, "not hex"));
    }
}
