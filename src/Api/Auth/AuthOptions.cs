namespace Hyperstore.Api.Auth;

/// <summary>Settings of token issuing and validation (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>The issuer written into and required of every token; the same for every instance and region.</summary>
    public Uri Issuer { get; set; } = new("http://localhost:8080/");

    /// <summary>The PEM (RSA or EC private key) that signs tokens. Shared by every instance so that they accept each other's tokens.</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>A file holding <see cref="SigningKeyPem"/>, for platforms that mount secrets as files.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>Earlier signing keys (PEM) still accepted for validation during a key rotation.</summary>
    public string[] PreviousSigningKeysPem { get; set; } = [];

    /// <summary>Whether plain HTTP is refused. Turn off only behind a load balancer that ends TLS, or on loopback.</summary>
    public bool RequireHttps { get; set; } = true;

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long an instance remembers a client it found in Redis, for the token requests that follow; zero asks Redis
    /// every time. A removed client, or a replaced secret, keeps getting tokens from an instance for up to this long.
    /// </summary>
    public TimeSpan ClientCacheTime { get; set; } = TimeSpan.FromSeconds(5);
}
