using Hyperstore.LoadTest.Http;
using Hyperstore.LoadTest.Scenarios;

namespace Hyperstore.LoadTest.Running;

/// <summary>A user of the run: its client (and, per user, its own connections) and its scenario context.</summary>
internal sealed class VirtualUser(UserContext context, HyperstoreClient client) : IDisposable
{
    public UserContext Context { get; } = context;

    public bool Started { get; set; }

    public void Dispose()
    {
        Context.Dispose();
        client.Dispose();
    }
}
