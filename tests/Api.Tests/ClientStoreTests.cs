using Hyperstore.Api.Auth;
using Hyperstore.Api.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary><see cref="ClientStore"/> against a real Redis: what it remembers of the clients it found, and for how long.</summary>
[Collection(ApiCollection.Name)]
public class ClientStoreTests(ApiFixture api) : ApiTestBase(api)
{
    private static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _clock = new();

    private static string NewClientId() => "store-" + Guid.NewGuid().ToString("N");

    /// <summary>Another instance's view of the clients, or the operator's command line: no memory.</summary>
    private ClientStore Redis => new(Api.Redis);

    /// <summary>A new client in Redis, and a store with a cache time that has just found it.</summary>
    private async Task<(string ClientId, ClientStore Store, ClientRecord Found)> RememberedClientAsync()
    {
        var clientId = NewClientId();
        await Redis.SaveAsync(clientId, [ApiScopes.Read], replace: false);
        var store = new ClientStore(Api.Redis, CacheTime, _clock);
        return (clientId, store, (await store.FindAsync(clientId))!);
    }

    [Fact]
    public async Task FindAsync_WithinTheCacheTime_AnswersTheClientAsFirstFound()
    {
        var (clientId, store, first) = await RememberedClientAsync();

        await Redis.SaveAsync(clientId, [ApiScopes.Read, ApiScopes.Buy], replace: true);
        _clock.Advance(CacheTime - TimeSpan.FromMilliseconds(1));

        Assert.Same(first, await store.FindAsync(clientId));
    }

    [Fact]
    public async Task FindAsync_AfterTheCacheTime_AsksRedisAgain()
    {
        var (clientId, store, _) = await RememberedClientAsync();

        await Redis.SaveAsync(clientId, [ApiScopes.Read, ApiScopes.Buy], replace: true);
        _clock.Advance(CacheTime);

        Assert.Equal([ApiScopes.Read, ApiScopes.Buy], (await store.FindAsync(clientId))!.Scopes);
    }

    [Fact]
    public async Task FindAsync_Fresh_AsksRedisAndRemembersTheAnswer()
    {
        var (clientId, store, _) = await RememberedClientAsync();
        await Redis.SaveAsync(clientId, [ApiScopes.Buy], replace: true);

        var fresh = await store.FindAsync(clientId, fresh: true);

        Assert.Equal([ApiScopes.Buy], fresh!.Scopes);
        Assert.Same(fresh, await store.FindAsync(clientId));
    }

    [Fact]
    public async Task FindAsync_DoesNotRememberAClientThatWasNotThere()
    {
        var clientId = NewClientId();
        var store = new ClientStore(Api.Redis, CacheTime, _clock);
        Assert.Null(await store.FindAsync(clientId));

        await Redis.SaveAsync(clientId, [ApiScopes.Read], replace: false);

        Assert.NotNull(await store.FindAsync(clientId));
    }

    [Fact]
    public async Task FindAsync_Fresh_ForgetsAClientRemovedFromRedis()
    {
        var (clientId, store, _) = await RememberedClientAsync();
        await Redis.RemoveAsync(clientId);

        Assert.Null(await store.FindAsync(clientId, fresh: true));
        Assert.Null(await store.FindAsync(clientId));
    }

    [Fact]
    public async Task SaveAndRemove_ForgetWhatThisStoreRemembered()
    {
        var clientId = NewClientId();
        var store = new ClientStore(Api.Redis, CacheTime, _clock);
        await store.SaveAsync(clientId, [ApiScopes.Read], replace: false);
        await store.FindAsync(clientId);

        await store.SaveAsync(clientId, [ApiScopes.Buy], replace: true);
        Assert.Equal([ApiScopes.Buy], (await store.FindAsync(clientId))!.Scopes);

        await store.RemoveAsync(clientId);
        Assert.Null(await store.FindAsync(clientId));
    }

    [Fact]
    public async Task FindAsync_WithoutACacheTime_AlwaysAsksRedis()
    {
        var clientId = NewClientId();
        await Redis.SaveAsync(clientId, [ApiScopes.Read], replace: false);
        var store = new ClientStore(Api.Redis);
        await store.FindAsync(clientId);

        await Redis.SaveAsync(clientId, [ApiScopes.Buy], replace: true);

        Assert.False(store.Caches);
        Assert.Equal([ApiScopes.Buy], (await store.FindAsync(clientId))!.Scopes);
    }
}
