using System.Collections.Concurrent;
using System.Globalization;
using Hyperstore.Domain.Values;
using StackExchange.Redis;

namespace Hyperstore.Api.Auth;

/// <summary>A registered OAuth2 client: its allowed scopes and the hash of its secret.</summary>
public sealed record ClientRecord(string ClientId, IReadOnlyList<string> Scopes, string SecretHash, DateTimeOffset CreatedAt);

/// <summary>
/// OAuth2 clients kept in Redis (no SQL database): hash <c>hyperstore:client:&lt;id&gt;</c> per client and the set
/// <c>hyperstore:clients</c> of all ids.
/// </summary>
/// <remarks>
/// With a <paramref name="cacheTime"/>, a client found in Redis is remembered that long, so that a token request
/// needs no Redis round trip (which waits for Redis's fsync of the writes before it). Only clients that exist are
/// remembered, so the memory is bounded by the registered clients. A remembered record can be out of date: callers
/// that refuse a request on one ask again with <see cref="FindAsync(string, bool)"/> and <c>fresh</c>.
/// </remarks>
public sealed class ClientStore(IConnectionMultiplexer redis, TimeSpan cacheTime = default, TimeProvider? clock = null)
{
    private const string IndexKey = "hyperstore:clients";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (ClientRecord Client, long FoundAt)> _found = new(StringComparer.Ordinal);

    private static RedisKey Key(string clientId) => "hyperstore:client:" + clientId;

    /// <summary>Whether <see cref="FindAsync(string, bool)"/> may answer from memory.</summary>
    public bool Caches => cacheTime > TimeSpan.Zero;

    public Task<ClientRecord?> FindAsync(string clientId) => FindAsync(clientId, fresh: false);

    /// <summary>The client, from memory if it was found less than the cache time ago, unless <paramref name="fresh"/>.</summary>
    public async Task<ClientRecord?> FindAsync(string clientId, bool fresh)
    {
        if (!fresh && Caches && _found.TryGetValue(clientId, out var found) && _clock.GetElapsedTime(found.FoundAt) < cacheTime)
        {
            return found.Client;
        }

        var client = await ReadAsync(clientId);
        if (client is null)
        {
            _found.TryRemove(clientId, out _);
        }
        else if (Caches)
        {
            _found[clientId] = (client, _clock.GetTimestamp());
        }
        return client;
    }

    private async Task<ClientRecord?> ReadAsync(string clientId)
    {
        if (!ClientId.TryParse(clientId, out _, out _))
        {
            return null;
        }
        var values = await redis.GetDatabase().HashGetAsync(Key(clientId), ["scopes", "secret_sha256", "created"]);
        if (values[0].IsNull || values[1].IsNull)
        {
            return null;
        }
        return new ClientRecord(clientId, ((string)values[0]!).Split(' ', StringSplitOptions.RemoveEmptyEntries), values[1]!,
            values[2].IsNull ? DateTimeOffset.UnixEpoch : DateTimeOffset.FromUnixTimeMilliseconds((long)values[2]));
    }

    /// <summary>Creates a client or, with <paramref name="replace"/>, gives an existing one a new secret. Returns the secret, shown once.</summary>
    public async Task<string?> SaveAsync(string clientId, IReadOnlyCollection<string> scopes, bool replace)
    {
        var secret = ClientSecrets.Generate();
        var database = redis.GetDatabase();
        var transaction = database.CreateTransaction();
        if (!replace)
        {
            transaction.AddCondition(Condition.KeyNotExists(Key(clientId)));
        }
        _ = transaction.HashSetAsync(Key(clientId),
        [
            new HashEntry("scopes", string.Join(' ', scopes)),
            new HashEntry("secret_sha256", ClientSecrets.Hash(secret)),
            new HashEntry("created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        ]);
        _ = transaction.SetAddAsync(IndexKey, clientId);
        var saved = await transaction.ExecuteAsync();
        _found.TryRemove(clientId, out _);
        return saved ? secret : null;
    }

    public async Task<bool> RemoveAsync(string clientId)
    {
        var database = redis.GetDatabase();
        var removed = await database.KeyDeleteAsync(Key(clientId));
        await database.SetRemoveAsync(IndexKey, clientId);
        _found.TryRemove(clientId, out _);
        return removed;
    }

    public async Task<IReadOnlyList<ClientRecord>> ListAsync()
    {
        var ids = await redis.GetDatabase().SetMembersAsync(IndexKey);
        var clients = new List<ClientRecord>();
        foreach (var id in ids.Select(i => (string)i!).Order(StringComparer.Ordinal))
        {
            if (await FindAsync(id, fresh: true) is { } client)
            {
                clients.Add(client);
            }
        }
        return clients;
    }
}
