using System.CommandLine;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gopl;

/// <summary>Console logging for the tool: every log line goes to standard error, as text or as JSON lines.</summary>
internal static class ToolLogging
{
    public static ILoggerFactory CreateFactory(ParseResult parseResult)
    {
        var verbose = parseResult.GetValue(GlobalOptions.Verbose);
        var json = parseResult.GetValue(GlobalOptions.LogFormat) == "json";
        return LoggerFactory.Create(builder =>
        {
            builder
                .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
                .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
            if (json)
            {
                builder.AddJsonConsole(options =>
                {
                    options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    options.UseUtcTimestamp = true;
                    options.IncludeScopes = true;

                    // Quotes and control characters are still escaped; only HTML-safety escapes (a + as \u002B) are left out.
                    options.JsonWriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
                });
            }
            else
            {
                builder.AddSimpleConsole(options =>
                {
                    options.SingleLine = true;

                    // A session's or a client's scope (its id and address) leads its messages: "=> session 3, 192.0.2.7:51234".
                    options.IncludeScopes = true;
                    options.TimestampFormat = "HH:mm:ss ";
                    options.ColorBehavior = UseColour() ? LoggerColorBehavior.Enabled : LoggerColorBehavior.Disabled;
                });
            }
        });
    }

    /// <summary>
    /// Colours only where a person looks: the logger's own default asks whether standard output
    /// is redirected, but the logs go to standard error. NO_COLOR (no-color.org) turns them off.
    /// </summary>
    private static bool UseColour() =>
        !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
