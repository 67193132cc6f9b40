using Hyperstore.Api.Auth;
using Hyperstore.Api.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>Settings the API cannot work with stop it at start, with the setting's name, instead of failing requests later.</summary>
public class SettingsValidationTests
{
    [Theory]
    [InlineData("Ledger:IdempotencyWindow", "00:00:00")]
    [InlineData("Ledger:IdempotencyWindow", "3650.00:00:01")]
    [InlineData("Hyperstore:ListenBacklog", "0")]
    [InlineData("Auth:ClientCacheTime", "-00:00:01")]
    public void Start_WithASettingOutOfRange_FailsNamingTheSetting(string setting, string value)
    {
        using var factory = Factory(new() { [setting] = value });

        var error = Assert.Throws<OptionsValidationException>(factory.Start);

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 4096)]
    [InlineData("100", 100)]
    public void Start_GivesTheSocketTransportTheConfiguredBacklog(string? configured, int expected)
    {
        using var factory = Factory(configured is null ? [] : new() { ["Hyperstore:ListenBacklog"] = configured });
        factory.Start();

        Assert.Equal(expected, factory.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.Backlog);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    public void Start_SchedulesRequestsInlineOnlyWhenConfigured(string? configured, bool expected)
    {
        using var factory = Factory(configured is null ? [] : new() { ["Hyperstore:InlineScheduling"] = configured });
        factory.Start();

        Assert.Equal(expected, factory.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }

    private static HyperstoreApiFactory Factory(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=100";
        settings["Auth:RequireHttps"] = "false";
        settings["Auth:SigningKeyPem"] = SigningKeys.NewRsaPem();
        settings["Auth:Issuer"] = "http://hyperstore.test/";
        return new HyperstoreApiFactory(settings);
    }
}
