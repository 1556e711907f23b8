using GoplNet.Ftp.Data;

namespace GoplNet.Tests.Ftp;

/// <summary>The tests of <see cref="FtpTransferThreads"/>, alone: uploads in other tests would take its idle threads.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FtpTransferThreadsAlone
{
    public const string Name = "FTP transfer threads";
}

/// <summary>The dedicated threads of uploads into local files: reused, and a job's outcome reaches its task.</summary>
[Collection(FtpTransferThreadsAlone.Name)]
public sealed class FtpTransferThreadsTests
{
    [Fact]
    public async Task Jobs_one_after_another_reuse_one_thread_off_the_thread_pool()
    {
        var threads = new List<(int Id, bool Pooled)>();
        for (var i = 0; i < 5; i++)
        {
            await FtpTransferThreads.Run(() => threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread)));
            await Task.Yield(); // off the transfer thread, which then goes idle
            Assert.True(SpinWait.SpinUntil(() => FtpTransferThreads.IsIdle(threads[^1].Id), FtpTestClient.Timeout), "the thread is idle again");
        }

        Assert.All(threads, t => Assert.False(t.Pooled));
        Assert.Single(threads.Select(t => t.Id).Distinct());
    }

    [Fact]
    public async Task What_awaits_a_job_goes_on_on_its_thread_and_the_thread_is_idle_only_after_that_yields()
    {
        using var release = new ManualResetEventSlim();
        var job = 0;
        var task = FtpTransferThreads.Run(() =>
        {
            job = Environment.CurrentManagedThreadId;
            Assert.True(release.Wait(FtpTestClient.Timeout));
        });
        var continuing = ContinueAsync(task); // awaits the job before it can end
        release.Set();
        var (continuedOn, idleWhileContinuing) = await continuing;

        Assert.Equal(job, continuedOn);
        Assert.False(idleWhileContinuing);
        await Task.Yield(); // off the transfer thread, if this test went on there too
        Assert.True(SpinWait.SpinUntil(() => FtpTransferThreads.IsIdle(job), FtpTestClient.Timeout), "idle once the continuation yielded");

        static async Task<(int Thread, bool Idle)> ContinueAsync(Task task)
        {
            await task.ConfigureAwait(false);
            return (Environment.CurrentManagedThreadId, FtpTransferThreads.IsIdle(Environment.CurrentManagedThreadId));
        }
    }

    [Fact]
    public async Task Jobs_at_once_run_side_by_side()
    {
        using var bothRunning = new CountdownEvent(2);
        var first = FtpTransferThreads.Run(() => Assert.True(bothRunning.Signal() || bothRunning.Wait(FtpTestClient.Timeout)));
        var second = FtpTransferThreads.Run(() => Assert.True(bothRunning.Signal() || bothRunning.Wait(FtpTestClient.Timeout)));

        await Task.WhenAll(first, second).WaitAsync(FtpTestClient.Timeout);
    }

    [Fact]
    public async Task A_failure_or_a_cancellation_ends_the_task_the_same_way()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<IOException>(() => FtpTransferThreads.Run(() => throw new IOException("disk")));
        var task = FtpTransferThreads.Run(() => cancelled.Token.ThrowIfCancellationRequested());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        await FtpTransferThreads.Run(() => { });
    }
}
