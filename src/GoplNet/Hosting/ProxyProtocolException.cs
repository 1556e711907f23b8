namespace GoplNet.Hosting;

/// <summary>
/// A connection that must be closed because it did not start with a valid PROXY protocol header:
/// a malformed header, one that did not arrive completely in time, a peer that closed mid-header,
/// or a peer that is not a trusted proxy. The message says which, for the log.
/// </summary>
internal sealed class ProxyProtocolException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ProxyProtocolException()
        : this("invalid PROXY protocol header")
    {
    }

    /// <summary>Creates the exception with the reason the header was refused.</summary>
    /// <param name="message">The reason, one line, naming what was wrong.</param>
    public ProxyProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and the failure that caused it.</summary>
    /// <param name="message">The reason, one line, naming what was wrong.</param>
    /// <param name="innerException">The failure that caused it.</param>
    public ProxyProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
