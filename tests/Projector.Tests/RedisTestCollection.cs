using Hyperstore.Testing;
using Xunit;

namespace Hyperstore.Projector.Tests;

[CollectionDefinition(Name)]
public sealed class RedisTestCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
