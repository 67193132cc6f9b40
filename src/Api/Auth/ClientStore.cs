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
public sealed class ClientStore(IConnectionMultiplexer redis)
{
    private const string IndexKey = "hyperstore:clients";

    private static RedisKey Key(string clientId) => "hyperstore:client:" + clientId;

    public async Task<ClientRecord?> FindAsync(string clientId)
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
        return await transaction.ExecuteAsync() ? secret : null;
    }

    public async Task<bool> RemoveAsync(string clientId)
    {
        var database = redis.GetDatabase();
        var removed = await database.KeyDeleteAsync(Key(clientId));
        await database.SetRemoveAsync(IndexKey, clientId);
        return removed;
    }

    public async Task<IReadOnlyList<ClientRecord>> ListAsync()
    {
        var ids = await redis.GetDatabase().SetMembersAsync(IndexKey);
        var clients = new List<ClientRecord>();
        foreach (var id in ids.Select(i => (string)i!).Order(StringComparer.Ordinal))
        {
            if (await FindAsync(id) is { } client)
            {
                clients.Add(client);
            }
        }
        return clients;
    }
}
