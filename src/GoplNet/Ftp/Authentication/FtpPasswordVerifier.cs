using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace GoplNet;

/// <summary>
/// Checks passwords against <see cref="FtpPasswordHash"/> hashes for one server, with two
/// defences around the deliberately slow key derivation:
/// <list type="bullet">
/// <item>A bounded cache of successful checks, so a client that logs in again and again with the
/// right password (sync tools, one session a file) pays the derivation once. An entry is indexed by
/// the account's name and its stored hash, so a changed password misses; it holds an HMAC-SHA256
/// of the password under a random key made for this process and never written anywhere: without
/// that key an entry lets nobody test a guess, and it never holds the password.</item>
/// <item>At most half the cores derive at once (at least one): a flood of wrong passwords queues
/// here instead of taking every core from the sessions that move data.</item>
/// </list>
/// </summary>
internal sealed class FtpPasswordVerifier : IDisposable
{
    private const int Capacity = 1024;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<(string Name, string Hash), byte[]> _verified = new();
    private readonly SemaphoreSlim _derivations = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>Whether <paramref name="password"/> is the password of <paramref name="name"/>, whose stored hash is <paramref name="hash"/>.</summary>
    public async Task<bool> VerifyAsync(string name, string password, string hash, CancellationToken cancellationToken)
    {
        var tag = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(password));
        if (_verified.TryGetValue((name, hash), out var known) && CryptographicOperations.FixedTimeEquals(known, tag))
        {
            return true;
        }

        bool matches;
        await _derivations.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            matches = FtpPasswordHash.Verify(password, hash);
        }
        finally
        {
            _derivations.Release();
        }

        if (matches)
        {
            if (_verified.Count >= Capacity)
            {
                // Past the bound the cache starts over: a full cache means many accounts, each of
                // which pays one derivation again.
                _verified.Clear();
            }

            _verified[(name, hash)] = tag;
        }

        return matches;
    }

    public void Dispose() => _derivations.Dispose();
}
