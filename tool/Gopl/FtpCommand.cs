using System.CommandLine;
using System.Globalization;
using GoplNet.Ftp;
using GoplNet.Ftp.Authentication;
using GoplNet.Ftp.S3;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gopl;

/// <summary><c>gopl ftp</c>: exercise 8.2's concurrent FTP server, for the standard clients.</summary>
internal static class FtpCommand
{
    public static Command Create()
    {
        var root = new Option<string?>("--root")
        {
            Description = "The directory clients see as / (default: the current directory)",
            HelpName = "DIR",
        };
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on: localhost (127.0.0.1), an IP address, or * for every interface",
            HelpName = "HOST",
            DefaultValueFactory = _ => "localhost",
        };
        var port = IntegerOption.Port(2121);
        var users = new Option<string[]>("--user")
        {
            Description = "A read-write account NAME:PASSWORD (repeatable; other local users can see it in the process list, so prefer --users-file)",
            HelpName = "NAME:PASSWORD",
            AllowMultipleArgumentsPerToken = false,
        };
        var usersFile = new Option<string?>("--users-file")
        {
            Description = "A file of accounts, one a line: NAME:HASH:rw or NAME:HASH:ro (make a line with 'gopl ftp passwd NAME')",
            HelpName = "FILE",
        };
        var anonymous = new Option<bool>("--anonymous") { Description = "Allow anonymous and ftp with any password, read-only (the default when no account is given)" };
        var readOnly = new Option<bool>("--read-only") { Description = "Refuse every write, for every account" };
        var passivePorts = new Option<string?>("--passive-ports") { Description = "The port range for passive data connections, e.g. 40000-40100 (default: any free port)", HelpName = "A-B" };
        var passiveAddress = new Option<string?>("--passive-address") { Description = "The IPv4 address, or a host name resolved at start, to announce in PASV replies (default: the address the client connected to)", HelpName = "HOST" };
        var proxyProtocol = new Option<bool>("--proxy-protocol") { Description = "Control connections come from a TCP load balancer that sends PROXY protocol headers (v1 or v2); needs --trusted-proxy" };
        var trustedProxies = new Option<string[]>("--trusted-proxy")
        {
            Description = "A balancer allowed to send PROXY headers: an address or CIDR network (repeatable); anyone else is closed",
            HelpName = "ADDRESS",
            AllowMultipleArgumentsPerToken = false,
        };
        var tlsCert = new Option<string?>("--tls-cert")
        {
            Description = "A PEM certificate for explicit FTPS (AUTH TLS), with --tls-key; or a PKCS#12 (.pfx) file holding the key too (its password, if any, in the environment variable GOPL_TLS_PASSWORD)",
            HelpName = "FILE",
        };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert", HelpName = "FILE" };
        var requireTls = new Option<bool>("--require-tls") { Description = "Accept nothing in the clear: USER only after AUTH TLS, data only after PROT P (needs --tls-cert)" };
        var implicitTls = new Option<bool>("--implicit-tls") { Description = "Speak TLS from the first byte (implicit FTPS, the port-990 convention) instead of AUTH TLS (needs --tls-cert)" };
        var transferLog = new Option<string?>("--xferlog") { Description = "Append one line per transfer to FILE, in the xferlog format", HelpName = "FILE" };
        var maxSessions = IntegerOption.Create("--max-sessions", 1000, 1, 1_000_000, "The most sessions at once; more are answered 421");
        var maxPerAddress = IntegerOption.Create("--max-sessions-per-address", 100, 1, 1_000_000, "The most sessions at once from one client address; more are answered 421");
        var idleTimeout = DurationOption.Create("--idle-timeout", TimeSpan.FromMinutes(5), "Close a control connection silent this long with no transfer running");
        var stallTimeout = DurationOption.Create("--stall-timeout", TimeSpan.FromMinutes(5), "Cut a data transfer that moves no byte this long");

        var config = new Option<string?>("--config")
        {
            Description = "A JSON file whose \"Ftp\" section holds the server's options (and \"S3\" the bucket's), as in appsettings.json; options given here override it",
            HelpName = "FILE",
        };
        var s3Bucket = new Option<string?>("--s3-bucket") { Description = "Serve this S3 bucket instead of --root (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS profile)", HelpName = "NAME" };
        var s3Prefix = new Option<string?>("--s3-prefix") { Description = "The key prefix that clients see as / (default: the whole bucket)", HelpName = "PREFIX" };
        var s3ServiceUrl = new Option<string?>("--s3-service-url") { Description = "The endpoint of an S3-compatible service (MinIO, Ceph, R2...)", HelpName = "URL" };
        var s3Region = new Option<string?>("--s3-region") { Description = "The bucket's region (default: the AWS SDK's)", HelpName = "REGION" };
        var s3PathStyle = new Option<bool>("--s3-path-style") { Description = "Path-style addressing (host/bucket/key), as most S3-compatible services want" };

        var command = new Command("ftp", "Serve a directory (or an S3 bucket) over FTP to standard clients (ftp, curl, lftp).")
        {
            root, host, port, users, usersFile, anonymous, readOnly, passivePorts, passiveAddress, proxyProtocol, trustedProxies,
            tlsCert, tlsKey, requireTls, implicitTls, transferLog, maxSessions, maxPerAddress, idleTimeout, stallTimeout,
            config, s3Bucket, s3Prefix, s3ServiceUrl, s3Region, s3PathStyle, PasswdCommand(),
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new FtpServerOptions();
            var s3 = new S3FtpFileSystemOptions();
            if (parseResult.GetValue(config) is { } configFile)
            {
                FtpConfigFile.Read(configFile, options, s3);
            }

            // An option given on the command line overrides the file; defaults do not.
            bool Given(Option option) => parseResult.GetResult(option) is { Implicit: false };
            Override(root, v => options.Root = v!);
            Override(host, v => options.Host = v!);
            Override(port, v => options.Port = v);
            Override(anonymous, v => options.AllowAnonymous = v);
            Override(readOnly, v => options.ReadOnly = v);
            Override(passiveAddress, v => options.PassiveAddress = v);
            Override(proxyProtocol, v => options.ProxyProtocol = v);
            Override(requireTls, v => options.RequireTls = v);
            Override(implicitTls, v => options.ImplicitTls = v);
            Override(transferLog, v => options.TransferLogPath = v);
            Override(maxSessions, v => options.MaxSessions = v);
            Override(maxPerAddress, v => options.MaxSessionsPerAddress = v);
            Override(idleTimeout, v => options.IdleTimeout = v.Value);
            Override(stallTimeout, v => options.StalledTransferTimeout = v.Value);
            Override(s3Bucket, v => s3.BucketName = v ?? string.Empty);
            Override(s3Prefix, v => s3.KeyPrefix = v);
            Override(s3ServiceUrl, v => s3.ServiceUrl = v);
            Override(s3Region, v => s3.Region = v);
            Override(s3PathStyle, v => s3.ForcePathStyle = v);

            void Override<T>(Option<T> option, Action<T> set)
            {
                if (Given(option))
                {
                    set(parseResult.GetValue(option)!);
                }
            }

            using var bucket = s3.BucketName.Length > 0 ? OpenBucket(s3) : null;
            options.FileSystem = bucket;
            if (bucket is null && !Directory.Exists(options.Root))
            {
                throw new UsageException($"--root: '{options.Root}' is not a directory");
            }

            if (options.PassiveAddress is { } announced && !System.Net.IPAddress.TryParse(announced, out _) && Uri.CheckHostName(announced) != UriHostNameType.Dns)
            {
                throw new UsageException($"--passive-address: '{announced}' is not an IP address or a host name");
            }

            foreach (var proxy in parseResult.GetValue(trustedProxies) ?? [])
            {
                if (!System.Net.IPNetwork.TryParse(proxy, out _) && !System.Net.IPAddress.TryParse(proxy, out _))
                {
                    throw new UsageException($"--trusted-proxy: '{proxy}' is not an address or a CIDR network");
                }

                options.TrustedProxies.Add(proxy);
            }

            if (options.ProxyProtocol != (options.TrustedProxies.Count > 0))
            {
                throw new UsageException(options.ProxyProtocol ? "--proxy-protocol: needs --trusted-proxy" : "--trusted-proxy: needs --proxy-protocol");
            }

            if (Given(passivePorts))
            {
                (options.PassivePortMin, options.PassivePortMax) = ParseRange(parseResult.GetValue(passivePorts));
            }
            foreach (var account in parseResult.GetValue(users) ?? [])
            {
                var colon = account.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new UsageException("--user: expected NAME:PASSWORD");
                }

                options.Users.Add(FtpUser.WithPassword(account[..colon], account[(colon + 1)..]));
            }

            if (parseResult.GetValue(usersFile) is { } file)
            {
                foreach (var user in UsersFile.Read(file))
                {
                    options.Users.Add(user);
                }
            }

            // The book's server needs no account: with none given, anonymous read-only access (said in the startup line).
            options.AllowAnonymous |= options.Users.Count == 0;
            options.TlsCertificate = TlsCertificateFile.Load(parseResult.GetValue(tlsCert), parseResult.GetValue(tlsKey));
            if (options.TlsCertificate is null && options.TlsCertificatePath is { } configured)
            {
                // The server reads the configured files itself (again when they change); a broken one stops the start here.
                try
                {
                    FtpTlsCertificate.Load(configured, options.TlsKeyPath, options.TlsCertificatePassword).Dispose();
                }
                catch (FtpTlsCertificateException e)
                {
                    throw new UsageException($"--config: {e.Message}");
                }
            }
            if (options.RequireTls && options.TlsCertificate is null && options.TlsCertificatePath is null)
            {
                throw new UsageException("--require-tls: needs --tls-cert");
            }

            if (options.ImplicitTls && options.TlsCertificate is null && options.TlsCertificatePath is null)
            {
                throw new UsageException("--implicit-tls: needs --tls-cert");
            }

            if (options.TransferLogPath is { } log)
            {
                CheckWritable(log);
            }

            using var loggerFactory = ToolLogging.CreateFactory(parseResult);
            await using var server = new FtpServer(Options.Create(options), TimeProvider.System, loggerFactory.CreateLogger<FtpServer>());
            await ServerRunner.StartAsync(server.StartAsync, "ftp", options.Host, options.Port, cancellationToken);
            return await ServerRunner.RunUntilStoppedAsync(server.StopAsync, cancellationToken);
        });
        return command;
    }

    /// <summary><c>gopl ftp passwd NAME [--read-only]</c>: reads a password (a prompt without echo on a terminal) and prints a users-file line.</summary>
    private static Command PasswdCommand()
    {
        var name = new Argument<string>("name") { Description = "The account's login name" };
        var readOnly = new Option<bool>("--read-only") { Description = "Make the account read-only" };
        var command = new Command("passwd", "Read a password (at a prompt that does not echo it, or from standard input) and print a line for --users-file") { name, readOnly };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var login = parseResult.GetValue(name)!;
            if (login.Length == 0 || login.Contains(':', StringComparison.Ordinal) || login.Any(char.IsWhiteSpace))
            {
                throw new UsageException("name: a login name has no ':' and no spaces");
            }

            var password = await PasswordPrompt.ReadAsync(cancellationToken);
            if (password is null)
            {
                // Ctrl+C at the prompt: a stop, not a failure; nothing goes to the users file.
                return ExitCodes.Success;
            }

            if (password.Length == 0)
            {
                throw new UsageException("passwd: the password is empty (type it at the prompt or give it on standard input)");
            }

            await Console.Out.WriteLineAsync($"{login}:{FtpPasswordHash.Create(password)}:{(parseResult.GetValue(readOnly) ? "ro" : "rw")}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The bucket of --s3-bucket (or the config's S3 section), its settings checked before the server starts.</summary>
    private static S3FtpFileSystem OpenBucket(S3FtpFileSystemOptions s3)
    {
        try
        {
            return new S3FtpFileSystem(s3);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--s3-bucket: {e.Message}");
        }
    }

    private static void CheckWritable(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--xferlog: cannot write '{path}': {e.Message}");
        }
    }

    private static (int Min, int Max) ParseRange(string? text)
    {
        if (text is null)
        {
            return (0, 0);
        }

        var parts = text.Split('-');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max)
            && min is >= 1024 and <= 65_535 && max >= min && max <= 65_535)
        {
            return (min, max);
        }

        throw new UsageException($"--passive-ports: '{text}' is not a range A-B of ports from 1024 to 65535");
    }
}
