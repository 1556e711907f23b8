using System.Diagnostics.Metrics;
using GoplNet.Clock;
using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.Events;
using GoplNet.Ftp.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GoplNet.Tests.Readme;

/// <summary>
/// The README's library snippets as compiled code: each region between <c>// snippet: NAME</c> and
/// <c>// end snippet</c> is what the README shows under <c>&lt;!-- snippet: NAME --&gt;</c>
/// (<see cref="ReadmeSnippetTests"/> checks they are the same text, and runs them).
/// </summary>
internal static class ReadmeSnippets
{
    /// <summary>Both servers hosted from configuration (appsettings.json's "Clocks" and "Ftp").</summary>
    public static IHost BuildHost(string[] args, IFtpFileSystem? files = null)
    {
        // snippet: hosting
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddClockServer("Tokyo", builder.Configuration.GetSection("Clocks:Tokyo"));
        builder.Services.AddClockServer("London", builder.Configuration.GetSection("Clocks:London"));
        builder.Services.AddFtpServer(builder.Configuration.GetSection("Ftp"), ftp =>
        {
            ftp.FileSystem = files;                                     // null: the configured Root on disk
        });
        builder.Services.AddSingleton<IFtpAuthenticator, TenantAuthenticator>();
        builder.Services.AddSingleton<ITenantStore, TenantStore>();
        builder.Services.AddSingleton<FtpServerEvents, Ingest>();
        builder.Services.AddSingleton<IUploadQueue, UploadQueue>();
        var host = builder.Build();
        // end snippet
        return host;
    }

    /// <summary>An in-memory FTP server, as a test of FTP client code starts one.</summary>
    public static async Task<(FtpServer Server, InMemoryFtpFileSystem Files)> StartInMemoryAsync(CancellationToken cancellationToken)
    {
        // snippet: in-memory
        var files = new InMemoryFtpFileSystem();
        files.WriteAllBytes("/pub/hello.txt", "hello\n"u8);
        var options = new FtpServerOptions { Port = 0, FileSystem = files };
        options.Users.Add(FtpUser.WithPassword("alice", "secret"));
        var server = new FtpServer(options);
        await server.StartAsync(cancellationToken);
        // The client under test connects to server.LocalEndPoint; afterwards:
        // files.ReadAllBytes("/in/report.csv") is what it uploaded.
        // end snippet
        return (server, files);
    }

    /// <summary>Reads the FTP server's metrics in-process.</summary>
    public static MeterListener ListenToFtpMetrics(Action<string, long> record)
    {
        // snippet: metrics
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "GoplNet.Ftp")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => record(instrument.Name, value));
        listener.Start();
        // end snippet
        return listener;
    }
}

// snippet: authenticator
/// <summary>Each tenant logs in with its own password and sees only its own folder.</summary>
internal sealed class TenantAuthenticator(ITenantStore tenants) : IFtpAuthenticator
{
    public async ValueTask<FtpAuthenticationResult> AuthenticateAsync(FtpLoginRequest login, CancellationToken cancellationToken)
    {
        var tenant = await tenants.CheckAsync(login.UserName, login.Password, cancellationToken);
        return tenant is null
            ? FtpAuthenticationResult.Failure()                     // 530, after the failure delay
            : FtpAuthenticationResult.Success(new FtpAccount(login.UserName)
            {
                Home = "/tenants/" + tenant.Id,                     // the tenant's "/" and its jail
                Permissions = FtpPermissions.List | FtpPermissions.Read | FtpPermissions.Write,
                MaxUploadBytes = 100L << 20,                        // 552 past 100 MiB
            });
    }
}
// end snippet

// snippet: upload-handler
/// <summary>Queues each completed upload for processing, and refuses executables before they land.</summary>
internal sealed class Ingest(IUploadQueue queue) : FtpServerEvents
{
    public override async ValueTask OnTransferCompletedAsync(FtpTransferCompletedEvent e, CancellationToken cancellationToken)
    {
        if (e.Direction == FtpTransferDirection.Upload && e.IsComplete)
        {
            await using var file = await e.FileSystem.OpenReadAsync(e.Path, 0, cancellationToken);
            await queue.EnqueueAsync(e.Account.Name, e.Path, file, cancellationToken);
        }
    }

    public override ValueTask<FtpUploadVerdict> OnUploadCompletingAsync(FtpUploadCompletingEvent e, CancellationToken cancellationToken) =>
        ValueTask.FromResult(e.Path.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
            ? FtpUploadVerdict.Refuse("Executables are not accepted.")     // 553, the upload discarded
            : FtpUploadVerdict.Accept);
}
// end snippet

/// <summary>The application's user store, as the authenticator snippet uses it.</summary>
internal interface ITenantStore
{
    Task<Tenant?> CheckAsync(string name, string password, CancellationToken cancellationToken);
}

internal sealed record Tenant(string Id);

/// <summary>Two tenants for the tests.</summary>
internal sealed class TenantStore : ITenantStore
{
    public Task<Tenant?> CheckAsync(string name, string password, CancellationToken cancellationToken) =>
        Task.FromResult((name, password) switch
        {
            ("acme", "acme-pw") => new Tenant("1"),
            ("globex", "globex-pw") => new Tenant("2"),
            _ => (Tenant?)null,
        });
}

/// <summary>Where the upload handler snippet hands files.</summary>
internal interface IUploadQueue
{
    Task EnqueueAsync(string account, string path, Stream content, CancellationToken cancellationToken);
}

/// <summary>Remembers what was queued, for the tests.</summary>
internal sealed class UploadQueue : IUploadQueue
{
    public List<(string Account, string Path, string Content)> Items { get; } = [];

    public async Task EnqueueAsync(string account, string path, Stream content, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content);
        var text = await reader.ReadToEndAsync(cancellationToken);
        lock (Items)
        {
            Items.Add((account, path, text));
        }
    }
}
