namespace GoplNet.Hosting;

/// <summary>The life of an <see cref="AcceptLoop"/>: created, running, stopping, stopped; never back.</summary>
internal enum AcceptLoopState
{
    /// <summary>Not listening yet.</summary>
    Created,

    /// <summary>Listening and accepting.</summary>
    Running,

    /// <summary>The listener is closed; the accept thread is ending.</summary>
    Stopping,

    /// <summary>The accept thread has ended (or never started).</summary>
    Stopped,
}
