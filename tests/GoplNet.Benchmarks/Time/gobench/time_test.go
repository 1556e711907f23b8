// Go's side of the GoTimeFormat benchmark: the same operations on the same values, run with
// `go test -bench . -benchmem` in this folder (tests/GoplNet.Benchmarks/Time/run.sh runs both sides).
package timebench

import (
	"testing"
	"time"
)

var instant = time.Date(2026, time.November, 25, 8, 1, 2, 123456700, time.UTC)

var sink []byte
var sinkString string
var sinkTime time.Time

func BenchmarkAppendFormatClock(b *testing.B) {
	buf := make([]byte, 0, 64)
	for i := 0; i < b.N; i++ {
		buf = instant.AppendFormat(buf[:0], "15:04:05\n")
	}
	sink = buf
}

func BenchmarkFormatRFC1123(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkString = instant.Format(time.RFC1123)
	}
}

func BenchmarkFormatRFC3339Nano(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkString = instant.Format(time.RFC3339Nano)
	}
}

func BenchmarkParseRFC3339(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkTime, _ = time.Parse(time.RFC3339, "2026-11-25T08:01:02+09:00")
	}
}

func BenchmarkParseRFC1123(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkTime, _ = time.Parse(time.RFC1123, "Wed, 25 Nov 2026 08:01:02 UTC")
	}
}
