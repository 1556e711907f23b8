using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gopl;

/// <summary>Console logging for the tool: every log line goes to standard error.</summary>
internal static class ToolLogging
{
    public static ILoggerFactory CreateFactory(bool verbose) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
                options.ColorBehavior = LoggerColorBehavior.Default;
            }));
}
