using BenchmarkDotNet.Running;
using GoplNet.Benchmarks.Clock;
using GoplNet.Benchmarks.Clockwall;
using GoplNet.Benchmarks.Ftp;

// Load programs are chosen by their first argument; anything else goes to BenchmarkDotNet
// (`-- --filter '*'` runs every micro-benchmark). See the README's performance section.
return args.FirstOrDefault() switch
{
    "clock-load" => await ClockLoad.RunAsync(args[1..]),
    "clock-server" => await ClockLoadServer.RunAsync(args[1..]),
    "clockwall-load" => await ClockwallLoad.RunAsync(args[1..]),
    "ftp-load" when OperatingSystem.IsLinux() => await FtpLoad.RunAsync(args[1..]),
    "ftp-server" => await FtpLoadServer.RunAsync(args[1..]),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
