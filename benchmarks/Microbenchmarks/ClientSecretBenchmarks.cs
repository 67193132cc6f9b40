using BenchmarkDotNet.Attributes;
using Hyperstore.Api.Auth;

namespace Hyperstore.Bench.Microbenchmarks;

/// <summary>The token endpoint checks the client secret against its stored SHA-256 once per token request.</summary>
[MemoryDiagnoser]
public class ClientSecretBenchmarks
{
    private string _secret = "";
    private string _hash = "";

    [GlobalSetup]
    public void Setup()
    {
        _secret = ClientSecrets.Generate();
        _hash = ClientSecrets.Hash(_secret);
    }

    [Benchmark]
    public bool Matches() => ClientSecrets.Matches(_secret, _hash);
}
