#!/usr/bin/env bash
# GoTimeFormat against Go's time package and .NET's own formatting, in one run on one machine.
# Needs Go (apt-get install golang-go). Prints Go's results, then BenchmarkDotNet's table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
command -v go >/dev/null || { echo "run.sh: Go is needed (apt-get install golang-go)" >&2; exit 1; }
echo "== Go $(go env GOVERSION)"
(cd "$here/gobench" && go test -run '^$' -bench . -benchmem -count 3)
echo "== GoplNet and .NET"
dotnet run -c Release --project "$root/tests/GoplNet.Benchmarks" -- --filter '*GoTimeFormatBenchmarks*' --job short "$@"
