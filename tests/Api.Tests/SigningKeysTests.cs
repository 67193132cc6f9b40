using Hyperstore.Api.Auth;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Hyperstore.Api.Tests;

public class SigningKeysTests
{
    [Fact]
    public void FromPem_OfAnEcKey_GivesAnEcdsaKeyWithAStableId()
    {
        var pem = SigningKeys.NewEcPem();

        var key = Assert.IsType<ECDsaSecurityKey>(SigningKeys.FromPem(pem));
        Assert.Equal(key.KeyId, SigningKeys.FromPem(pem).KeyId);
    }

    [Fact]
    public void FromPem_OfAnRsaKey_GivesAnRsaKey() =>
        Assert.IsType<RsaSecurityKey>(SigningKeys.FromPem(SigningKeys.NewRsaPem()));

    [Fact]
    public void FromPem_OfSomethingElse_SaysWhatIsExpected()
    {
        var error = Assert.Throws<ArgumentException>(() => SigningKeys.FromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));
        Assert.Contains("neither an EC nor an RSA private key", error.Message, StringComparison.Ordinal);
    }
}
