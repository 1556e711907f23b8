using System.Net;
using GoplNet.Ftp.Authentication;

namespace GoplNet.Tests.Ftp;

/// <summary>The password checks behind PASS: the cache of successful checks and the pacing per client address.</summary>
public sealed class FtpPasswordVerifierTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    [Fact]
    public async Task A_remembered_success_never_lets_a_wrong_password_in()
    {
        using var verifier = new FtpPasswordVerifier(TimeProvider.System, TimeSpan.Zero);
        var hash = FtpPasswordHash.Create("secret");

        Assert.Equal(FtpPasswordCheck.Match, await verifier.VerifyAsync("alice", "secret", hash, Client, CancellationToken.None));
        Assert.Equal(FtpPasswordCheck.Match, await verifier.VerifyAsync("alice", "secret", hash, Client, CancellationToken.None));
        Assert.Equal(FtpPasswordCheck.Mismatch, await verifier.VerifyAsync("alice", "Secret", hash, Client, CancellationToken.None));
        Assert.Equal(FtpPasswordCheck.Mismatch, await verifier.VerifyAsync("bob", "secret", FtpPasswordHash.Create("other"), Client, CancellationToken.None));
    }

    [Fact]
    public async Task A_changed_password_hash_forgets_the_old_password()
    {
        using var verifier = new FtpPasswordVerifier(TimeProvider.System, TimeSpan.Zero);
        var old = FtpPasswordHash.Create("old secret");
        Assert.Equal(FtpPasswordCheck.Match, await verifier.VerifyAsync("alice", "old secret", old, Client, CancellationToken.None));

        var renewed = FtpPasswordHash.Create("new secret");

        Assert.Equal(FtpPasswordCheck.Mismatch, await verifier.VerifyAsync("alice", "old secret", renewed, Client, CancellationToken.None));
        Assert.Equal(FtpPasswordCheck.Match, await verifier.VerifyAsync("alice", "new secret", renewed, Client, CancellationToken.None));
    }

    [Fact]
    public async Task After_a_failure_an_address_waits_the_pause_and_at_most_four_checks_wait()
    {
        var time = FtpTestServer.NewFakeTime();
        var hash = FtpPasswordHash.Create("secret");
        using var verifier = await InItsPauseAsync(time, hash);

        // The address is in its pause: four checks wait for it, the fifth is refused at once.
        var waiting = Enumerable.Range(0, 4).Select(i => verifier.VerifyAsync($"user{i}", "secret", hash, Client, CancellationToken.None)).ToArray();
        Assert.Equal(FtpPasswordCheck.Busy, await verifier.VerifyAsync("user4", "secret", hash, Client, CancellationToken.None));
        Assert.All(waiting, t => Assert.False(t.IsCompleted));

        // Another address is not held up by this one's pause.
        Assert.Equal(FtpPasswordCheck.Match, await verifier.VerifyAsync("alice", "secret", hash, IPAddress.Parse("192.0.2.8"), CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.All(await Task.WhenAll(waiting).WaitAsync(FtpTestClient.Timeout), r => Assert.Equal(FtpPasswordCheck.Match, r));
    }

    [Fact]
    public async Task The_same_password_sent_at_once_by_several_sessions_is_checked_once()
    {
        var time = FtpTestServer.NewFakeTime();
        var hash = FtpPasswordHash.Create("secret");
        using var verifier = await InItsPauseAsync(time, hash);

        // Twenty sessions with alice's password share one waiting check: three other checks still fit, a fifth does not.
        var same = Enumerable.Range(0, 20).Select(_ => verifier.VerifyAsync("alice", "secret", hash, Client, CancellationToken.None)).ToArray();
        var others = Enumerable.Range(1, 3).Select(i => verifier.VerifyAsync($"user{i}", "secret", hash, Client, CancellationToken.None)).ToArray();
        Assert.Equal(FtpPasswordCheck.Busy, await verifier.VerifyAsync("user4", "secret", hash, Client, CancellationToken.None));

        // A session that gives up leaves the shared check to the others.
        using var leaving = new CancellationTokenSource();
        var left = verifier.VerifyAsync("alice", "secret", hash, Client, leaving.Token);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.All(await Task.WhenAll(same.Concat(others)).WaitAsync(FtpTestClient.Timeout), r => Assert.Equal(FtpPasswordCheck.Match, r));
    }

    [Fact]
    public async Task A_wrong_password_shared_by_sessions_is_a_mismatch_for_each()
    {
        using var verifier = new FtpPasswordVerifier(TimeProvider.System, TimeSpan.Zero);
        var hash = FtpPasswordHash.Create("secret");

        var checks = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => verifier.VerifyAsync("alice", "guess", hash, Client, CancellationToken.None)));

        Assert.All(checks, r => Assert.Equal(FtpPasswordCheck.Mismatch, r));
        Assert.Equal(FtpPasswordCheck.Match, await verifier.VerifyAsync("alice", "secret", hash, Client, CancellationToken.None));
    }

    /// <summary>A verifier with a one-second failure pause whose <see cref="Client"/> has just failed a check, so it is in its pause.</summary>
    private static async Task<FtpPasswordVerifier> InItsPauseAsync(TimeProvider time, string hash)
    {
        var verifier = new FtpPasswordVerifier(time, TimeSpan.FromSeconds(1));
        Assert.Equal(FtpPasswordCheck.Mismatch, await verifier.VerifyAsync("alice", "wrong", hash, Client, CancellationToken.None));
        return verifier;
    }
}
