using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Hyperstore.Api.Testing;

/// <summary>
/// The real API on Kestrel (a free loopback port, and any extra ports asked for), configured only through settings as an
/// operator would configure it.
/// Logging is off: console output of parallel hosts would otherwise mix with the command-line tests' captured output.
/// </summary>
public sealed class HyperstoreApiFactory : WebApplicationFactory<Hosting.HyperstoreOptions>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly IReadOnlyList<int> _extraPorts;

    public HyperstoreApiFactory(IReadOnlyDictionary<string, string?> settings, IReadOnlyList<int>? extraPorts = null)
    {
        _settings = settings;
        _extraPorts = extraPorts ?? [];
        UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            foreach (var port in _extraPorts)
            {
                kestrel.Listen(IPAddress.Loopback, port);
            }
        });
    }

    /// <summary>Starts the server; the clients it creates talk to the main port, never to an extra one.</summary>
    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        ClientOptions.BaseAddress = addresses.Select(address => new Uri(address)).First(uri => !_extraPorts.Contains(uri.Port));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.ClearProviders());
    }
}
