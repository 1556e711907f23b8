using Microsoft.Extensions.Logging;

namespace GoplNet.Ftp.Events;

/// <summary>Hands events to every handler in turn, each isolated: a handler's exception is logged and the next one still runs.</summary>
internal sealed class FtpEventDispatcher(IReadOnlyList<FtpServerEvents> handlers, ILogger logger)
{
    public bool HasHandlers => handlers.Count > 0;

    public async ValueTask RaiseAsync<TEvent>(TEvent e, Func<FtpServerEvents, TEvent, CancellationToken, ValueTask> raise, CancellationToken cancellationToken)
        where TEvent : FtpSessionEvent
    {
        foreach (var handler in handlers)
        {
            try
            {
                await raise(handler, e, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                FtpServerLog.EventHandlerFailed(logger, handler.GetType().Name, typeof(TEvent).Name, exception);
            }
        }
    }

    /// <summary>Asks every handler about an upload; the first refusal wins, and a handler's exception refuses it (a failing scanner lets nothing through).</summary>
    public async ValueTask<string?> ApproveUploadAsync(FtpUploadCompletingEvent e, CancellationToken cancellationToken)
    {
        foreach (var handler in handlers)
        {
            FtpUploadVerdict verdict;
            try
            {
                verdict = await handler.OnUploadCompletingAsync(e, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                FtpServerLog.EventHandlerFailed(logger, handler.GetType().Name, nameof(FtpUploadCompletingEvent), exception);
                throw new FtpUploadHookException(exception);
            }

            if (verdict.Refusal is { } refusal)
            {
                return refusal;
            }
        }

        return null;
    }
}

/// <summary>An upload hook failed: the upload is discarded and answered 451.</summary>
internal sealed class FtpUploadHookException(Exception inner) : Exception("An upload handler failed.", inner);
