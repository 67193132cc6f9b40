using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Hyperstore.Api.Auth;

/// <summary>
/// Loads token signing keys from PEM: EC (P-256 → ES256, the default: a signature costs ~30 µs against ~430 µs for
/// RSA-2048, which bounds the token endpoint) or RSA (RS256). PKCS#8, SEC1 and PKCS#1 are accepted.
/// </summary>
public static class SigningKeys
{
    public static SecurityKey FromPem(string pem)
    {
        if (TryImport(pem, ECDsa.Create, out ECDsa? ec))
        {
            return new ECDsaSecurityKey(ec) { KeyId = KeyId(ec.ExportSubjectPublicKeyInfo()) };
        }
        if (TryImport(pem, RSA.Create, out RSA? rsa))
        {
            return new RsaSecurityKey(rsa) { KeyId = KeyId(rsa.ExportSubjectPublicKeyInfo()) };
        }
        throw new ArgumentException("The signing key is neither an EC nor an RSA private key in PEM.", nameof(pem));
    }

    /// <summary>A key made for this process only: tokens it signs die with the process. For development.</summary>
    public static SecurityKey Ephemeral()
    {
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new ECDsaSecurityKey(ec) { KeyId = KeyId(ec.ExportSubjectPublicKeyInfo()) };
    }

    public static string NewEcPem()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ec.ExportPkcs8PrivateKeyPem();
    }

    public static string NewRsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    private static bool TryImport<T>(string pem, Func<T> create, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? key)
        where T : AsymmetricAlgorithm
    {
        key = create();
        try
        {
            key.ImportFromPem(pem);
            if (key is RSA or ECDsa && HasPrivateKey(key))
            {
                return true;
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // Not this kind of key.
        }
        key.Dispose();
        key = null;
        return false;
    }

    private static bool HasPrivateKey(AsymmetricAlgorithm key)
    {
        try
        {
            _ = key switch
            {
                RSA rsa => rsa.ExportParameters(includePrivateParameters: true).D,
                ECDsa ec => ec.ExportParameters(includePrivateParameters: true).D,
                _ => null,
            };
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    // A stable id derived from the public key, so that every instance names the same key the same way.
    private static string KeyId(byte[] publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey))[..16];
}
