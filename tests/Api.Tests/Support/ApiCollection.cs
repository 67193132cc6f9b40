using Xunit;

namespace Hyperstore.Api.Tests.Support;

// xunit v2 finds collection definitions only in the test assembly itself, so they live here and not in tests/Testing.

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
