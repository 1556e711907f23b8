using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/GoplNet.Benchmarks -- --filter '*'` runs every micro-benchmark;
// load programs take their own first argument (see the README's performance section).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
