using Hyperstore.Api.Auth;
using Hyperstore.Api.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>Settings the API cannot work with stop it at start, with the setting's name, instead of failing requests later.</summary>
public class SettingsValidationTests
{
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("3651.00:00:00")]
    public void Start_WithAnIdempotencyWindowOutOfRange_FailsNamingTheSetting(string window)
    {
        using var factory = new HyperstoreApiFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=100",
            ["Auth:RequireHttps"] = "false",
            ["Auth:SigningKeyPem"] = SigningKeys.NewRsaPem(),
            ["Auth:Issuer"] = "http://hyperstore.test/",
            ["Ledger:IdempotencyWindow"] = window,
        });

        var error = Assert.Throws<OptionsValidationException>(factory.Start);

        Assert.Contains("Ledger:IdempotencyWindow", error.Message, StringComparison.Ordinal);
    }
}
