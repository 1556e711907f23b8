using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace GoplNet.Ftp.Authentication;

/// <summary>
/// Checks passwords against <see cref="FtpPasswordHash"/> hashes for one server, with three
/// defences around the deliberately slow key derivation:
/// <list type="bullet">
/// <item>A bounded cache of successful checks, so a client that logs in again and again with the
/// right password (sync tools, one session a file) pays the derivation once. An entry is indexed by
/// the account's name and its stored hash, so a changed password misses; it holds an HMAC-SHA256
/// of the password under a random key made for this process and never written anywhere: without
/// that key an entry lets nobody test a guess, and it never holds the password.</item>
/// <item>One derivation at a time per client address, and after a failed one that address waits
/// the failure pause before its next: a hundred sessions guessing from one address cost one
/// derivation per pause, not a hundred, and every other address is served as before. At most
/// four checks of one address wait their turn; past that a check is refused at once
/// (<see cref="FtpPasswordCheck.Busy"/>), so guessing sessions cannot pile up. Sessions from one
/// address that send the same password for the same account at once (a sync tool opening several
/// connections) share one check, so they count once.</item>
/// <item>Derivations run on their own threads, at most half the cores (at least one), so the thread
/// pool that moves data never waits behind them.</item>
/// </list>
/// </summary>
internal sealed class FtpPasswordVerifier : IDisposable
{
    private const int Capacity = 1024;
    private const int MaxIdleGates = 4096;
    private const int MaxWaitingPerAddress = 4;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<(string Name, string Hash), byte[]> _verified = new();
    private readonly ConcurrentDictionary<IPAddress, Gate> _gates = new();
    private readonly Dictionary<CheckKey, Task<FtpPasswordCheck>> _running = [];
    private readonly BlockingCollection<Derivation> _derivations = [];
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _failurePause;
    private int _started;

    /// <param name="timeProvider">The clock of the failure pause.</param>
    /// <param name="failurePause">How long an address waits after a failed derivation before its next one.</param>
    public FtpPasswordVerifier(TimeProvider timeProvider, TimeSpan failurePause)
    {
        _timeProvider = timeProvider;
        _failurePause = failurePause;
    }

    /// <summary>Whether <paramref name="password"/> is the password of <paramref name="name"/>, whose stored hash is <paramref name="hash"/>.</summary>
    public async Task<FtpPasswordCheck> VerifyAsync(string name, string password, string hash, IPAddress client, CancellationToken cancellationToken)
    {
        var tag = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(password));
        if (IsRemembered(name, hash, tag))
        {
            return FtpPasswordCheck.Match;
        }

        // The same password for the same account from the same address while a check of it runs
        // or waits (a sync tool opening several sessions at once): one check answers them all.
        var key = new CheckKey(client, name, hash, Convert.ToBase64String(tag));
        Task<FtpPasswordCheck> check;
        lock (_running)
        {
            if (!_running.TryGetValue(key, out check!))
            {
                check = CheckAsync(name, password, hash, tag, client);
                _running[key] = check;
                _ = check.ContinueWith(
                    static (done, state) =>
                    {
                        var (verifier, key) = ((FtpPasswordVerifier, CheckKey))state!;
                        lock (verifier._running)
                        {
                            if (verifier._running.TryGetValue(key, out var current) && current == done)
                            {
                                verifier._running.Remove(key);
                            }
                        }
                    },
                    (this, key), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        return await check.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private bool IsRemembered(string name, string hash, byte[] tag) =>
        _verified.TryGetValue((name, hash), out var known) && CryptographicOperations.FixedTimeEquals(known, tag);

    /// <summary>One check, shared by every session that asked it: it runs to its end even when they have gone.</summary>
    private async Task<FtpPasswordCheck> CheckAsync(string name, string password, string hash, byte[] tag, IPAddress client)
    {
        var gate = _gates.GetOrAdd(client, static _ => new Gate());
        if (Interlocked.Increment(ref gate.Waiting) > MaxWaitingPerAddress)
        {
            Interlocked.Decrement(ref gate.Waiting);
            return FtpPasswordCheck.Busy;
        }

        bool matches;
        try
        {
            await gate.Turn.WaitAsync().ConfigureAwait(false);
            try
            {
                // Another check may have verified this password while this one waited its turn.
                if (IsRemembered(name, hash, tag))
                {
                    return FtpPasswordCheck.Match;
                }

                var wait = gate.NextAllowed - _timeProvider.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _timeProvider).ConfigureAwait(false);
                }

                matches = await DeriveAsync(password, hash).ConfigureAwait(false);
                gate.NextAllowed = matches ? DateTimeOffset.MinValue : _timeProvider.GetUtcNow() + _failurePause;
            }
            finally
            {
                gate.Turn.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref gate.Waiting);
        }

        if (_gates.Count > MaxIdleGates)
        {
            ForgetIdleGates();
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

        return matches ? FtpPasswordCheck.Match : FtpPasswordCheck.Mismatch;
    }

    /// <summary>Lets the derivation threads end once the queue is empty.</summary>
    public void Dispose() => _derivations.CompleteAdding();

    private Task<bool> DeriveAsync(string password, string hash)
    {
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
        return derivation.Matches.Task;
    }

    private void Derive()
    {
        foreach (var derivation in _derivations.GetConsumingEnumerable())
        {
            derivation.Matches.SetResult(FtpPasswordHash.Verify(derivation.Password, derivation.Hash));
        }
    }

    /// <summary>Drops the gates of addresses with no check running or waiting and no pause left.</summary>
    private void ForgetIdleGates()
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var (address, gate) in _gates)
        {
            if (Volatile.Read(ref gate.Waiting) == 0 && gate.NextAllowed <= now)
            {
                _gates.TryRemove(KeyValuePair.Create(address, gate));
            }
        }
    }

    /// <summary>One client address: whose turn it is, and when its next derivation may start.</summary>
    private sealed class Gate
    {
        /// <summary>The checks of this address running or waiting for their turn.</summary>
        public int Waiting;

        public SemaphoreSlim Turn { get; } = new(1, 1);

        public DateTimeOffset NextAllowed { get; set; } = DateTimeOffset.MinValue;
    }

    private sealed record Derivation(string Password, string Hash, TaskCompletionSource<bool> Matches);

    /// <summary>A check in progress: the address, the account and its stored hash, and the password's HMAC (never the password).</summary>
    private readonly record struct CheckKey(IPAddress Client, string Name, string Hash, string Tag);
}

/// <summary>The outcome of a password check.</summary>
internal enum FtpPasswordCheck
{
    /// <summary>The password is right.</summary>
    Match,

    /// <summary>The password is wrong (or the name unknown).</summary>
    Mismatch,

    /// <summary>Not checked: too many checks of the client's address are waiting already.</summary>
    Busy,
}
