using System.Collections.Concurrent;
using System.Runtime.InteropServices;
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
/// <item>Derivations run on their own threads, at most half the cores (at least one), at the
/// lowest CPU priority on Linux (nice 19): a flood of wrong passwords queues here and takes only
/// the CPU that transfers leave idle.</item>
/// </list>
/// </summary>
internal sealed partial class FtpPasswordVerifier : IDisposable
{
    private const int Capacity = 1024;
    private const int LowestPriority = 19;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<(string Name, string Hash), byte[]> _verified = new();
    private readonly BlockingCollection<Derivation> _derivations = [];
    private int _started;

    /// <summary>Whether <paramref name="password"/> is the password of <paramref name="name"/>, whose stored hash is <paramref name="hash"/>.</summary>
    public async Task<bool> VerifyAsync(string name, string password, string hash)
    {
        var tag = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(password));
        if (_verified.TryGetValue((name, hash), out var known) && CryptographicOperations.FixedTimeEquals(known, tag))
        {
            return true;
        }

        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // The threads start with the first derivation: a server without password accounts never has them.
            for (var i = 0; i < Math.Max(1, Environment.ProcessorCount / 2); i++)
            {
                new Thread(Derive) { IsBackground = true, Name = "FTP password checks" }.Start();
            }
        }

        var derivation = new Derivation(password, hash, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        _derivations.Add(derivation);
        if (!await derivation.Matches.Task.ConfigureAwait(false))
        {
            return false;
        }

        if (_verified.Count >= Capacity)
        {
            // Past the bound the cache starts over: a full cache means many accounts, each of
            // which pays one derivation again.
            _verified.Clear();
        }

        _verified[(name, hash)] = tag;
        return true;
    }

    /// <summary>Lets the derivation threads end once the queue is empty.</summary>
    public void Dispose() => _derivations.CompleteAdding();

    private void Derive()
    {
        LowerPriority();
        foreach (var derivation in _derivations.GetConsumingEnumerable())
        {
            derivation.Matches.SetResult(FtpPasswordHash.Verify(derivation.Password, derivation.Hash));
        }
    }

    /// <summary>Sets the calling thread's nice value to 19 (Linux schedules threads one by one); elsewhere nothing.</summary>
    private static void LowerPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = SetPriority(0, CurrentThreadId(), LowestPriority);
        }
        catch (EntryPointNotFoundException)
        {
            // A C library without gettid (glibc before 2.30): derivations run at normal priority.
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int CurrentThreadId();

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    private sealed record Derivation(string Password, string Hash, TaskCompletionSource<bool> Matches);
}
