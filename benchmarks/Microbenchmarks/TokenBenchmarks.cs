using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hyperstore.Bench.Microbenchmarks;

/// <summary>
/// Access tokens as OpenIddict issues and validates them here: signed, unencrypted JWTs (<c>typ: at+jwt</c>) handled by
/// <see cref="JsonWebTokenHandler"/>. Validation runs on every API request; signing on every token request. The default key
/// (scripts/run.sh, the bench, production) is ECDSA P-256 (ES256); RSA-2048 (RS256) is still accepted, for comparison.
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks : IDisposable
{
    private const string Issuer = "http://127.0.0.1:8080/";
    private readonly JsonWebTokenHandler _handler = new();
    private RSA _rsa = null!;
    private ECDsa _ecdsa = null!;
    private SigningCredentials _rsaCredentials = null!;
    private SigningCredentials _ecdsaCredentials = null!;
    private TokenValidationParameters _rsaParameters = null!;
    private TokenValidationParameters _ecdsaParameters = null!;
    private string _rsaToken = "";
    private string _ecdsaToken = "";

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(2048);
        _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rsaKey = new RsaSecurityKey(_rsa) { KeyId = "rsa" };
        var ecdsaKey = new ECDsaSecurityKey(_ecdsa) { KeyId = "ec" };
        _rsaCredentials = new SigningCredentials(rsaKey, SecurityAlgorithms.RsaSha256);
        _ecdsaCredentials = new SigningCredentials(ecdsaKey, SecurityAlgorithms.EcdsaSha256);
        _rsaParameters = Parameters(rsaKey);
        _ecdsaParameters = Parameters(ecdsaKey);
        _rsaToken = Create(_rsaCredentials);
        _ecdsaToken = Create(_ecdsaCredentials);
        if (!ValidateRsa() || !ValidateEcdsa())
        {
            throw new InvalidOperationException("The benchmark tokens do not validate.");
        }
    }

    [Benchmark(Description = "Validate access token (RS256)")]
    public bool ValidateRsa() => _handler.ValidateTokenAsync(_rsaToken, _rsaParameters).GetAwaiter().GetResult().IsValid;

    [Benchmark(Description = "Validate access token (ES256)")]
    public bool ValidateEcdsa() => _handler.ValidateTokenAsync(_ecdsaToken, _ecdsaParameters).GetAwaiter().GetResult().IsValid;

    [Benchmark(Description = "Sign access token (RS256)")]
    public string SignRsa() => Create(_rsaCredentials);

    [Benchmark(Description = "Sign access token (ES256)")]
    public string SignEcdsa() => Create(_ecdsaCredentials);

    private string Create(SigningCredentials credentials)
    {
        var now = DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            TokenType = "at+jwt",
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["sub"] = "loadtest",
                ["client_id"] = "loadtest",
                ["scope"] = "read buy",
                ["jti"] = Guid.NewGuid().ToString(),
                ["oi_prst"] = "loadtest",
            },
        });
    }

    private static TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = Issuer,
        ValidateAudience = false,
        ValidTypes = ["at+jwt"],
        IssuerSigningKey = key,
        ValidateLifetime = true,
    };

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
        GC.SuppressFinalize(this);
    }
}
