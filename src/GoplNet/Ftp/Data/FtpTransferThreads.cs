namespace GoplNet.Ftp.Data;

/// <summary>
/// Dedicated threads for the blocking loops of uploads into local files. A loop that blocks on its
/// socket does not belong on the thread pool, and a thread started for each upload would cost more
/// than a small file's whole transfer; so a thread that finishes its upload waits a while for the
/// next one (sync tools send files one after another) and ends after <see cref="IdleLifetime"/>
/// without work. There are never more threads than uploads running at once plus those idle.
/// </summary>
internal static class FtpTransferThreads
{
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(10);
    private static readonly List<Worker> Idle = [];
    private static readonly Lock Gate = new();

    /// <summary>
    /// Runs <paramref name="work"/> on a transfer thread; the task ends with it (its exception
    /// included), and what awaits it without a synchronization context goes on on that thread.
    /// </summary>
    public static Task Run(Action work)
    {
        var job = new Job(work);
        Worker? worker = null;
        lock (Gate)
        {
            if (Idle.Count > 0)
            {
                worker = Idle[^1];
                Idle.RemoveAt(Idle.Count - 1);
            }
        }

        if (worker is null)
        {
            worker = new Worker();
            worker.Assign(job);
            worker.Start();
        }
        else
        {
            worker.Assign(job);
        }

        return job.Completion.Task;
    }

    /// <summary>Whether the transfer thread with this managed thread id is waiting for a job (for tests).</summary>
    internal static bool IsIdle(int threadId)
    {
        lock (Gate)
        {
            return Idle.Exists(w => w.ThreadId == threadId);
        }
    }

    private sealed class Job(Action work)
    {
        private Exception? _failure;

        /// <summary>Completed on the transfer thread, which runs what awaits it until that yields.</summary>
        public TaskCompletionSource Completion { get; } = new();

        public void Execute()
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                _failure = e;
            }
        }

        public void Complete()
        {
            switch (_failure)
            {
                case null:
                    Completion.SetResult();
                    break;
                case OperationCanceledException cancelled:
                    Completion.SetCanceled(cancelled.CancellationToken);
                    break;
                default:
                    Completion.SetException(_failure);
                    break;
            }
        }
    }

    private sealed class Worker
    {
        private readonly object _signal = new();
        private Job? _job;

        public int ThreadId { get; private set; }

        public void Assign(Job job)
        {
            lock (_signal)
            {
                _job = job;
                Monitor.Pulse(_signal);
            }
        }

        public void Start() => new Thread(Loop) { IsBackground = true, Name = "GoplNet FTP transfer" }.Start();

        private void Loop()
        {
            ThreadId = Environment.CurrentManagedThreadId;
            while (true)
            {
                Job? job;
                lock (_signal)
                {
                    if (_job is null)
                    {
                        _ = Monitor.Wait(_signal, IdleLifetime);
                    }

                    job = _job;
                    _job = null;
                }

                if (job is null)
                {
                    lock (Gate)
                    {
                        // Still idle: nobody can hand this worker a job any more. Otherwise a job is on its way.
                        if (Idle.Remove(this))
                        {
                            return;
                        }
                    }

                    continue;
                }

                job.Execute();

                // The waiting transfer goes on here (its 226, the next command's read) instead of waking a
                // thread-pool thread for it: a small file's upload is mostly such hand-overs. Idle only
                // once that code has yielded, so no other session's upload waits behind it.
                job.Complete();
                lock (Gate)
                {
                    Idle.Add(this);
                }
            }
        }
    }
}
