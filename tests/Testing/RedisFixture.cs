using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Testing;

/// <summary>
/// One Redis server and connection per test collection (each test assembly declares its collection: xunit only
/// finds collection definitions in the test assembly itself). Tests keep apart by using <see cref="TestRegions.Unique"/>.</summary>
public class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _connection;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");
    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
