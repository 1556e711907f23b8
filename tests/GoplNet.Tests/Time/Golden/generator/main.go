// Command generator writes the golden data GoplNet's GoTimeFormat tests compare against:
// what Go's Time.Format prints for a seeded, generated matrix of instants, layouts and zones
// (format.jsonl); what time.Parse and time.ParseInLocation return (or the error they give) for the
// formatted values, mutations of them and malformed numeric zones (parse.jsonl); and what
// encoding/json writes for records holding times and reads from them and from edge documents
// (json.jsonl). Regenerate (after a Go or tzdata upgrade) from the repository root with:
//
//	TZ=UTC go run tests/GoplNet.Tests/Time/Golden/generator/main.go tests/GoplNet.Tests/Time/Golden
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"strings"
	"time"
)

// jsonRecord is how Go services put times in JSON: time.Time (MarshalJSON's RFC 3339 with
// nanoseconds), pointers for optional times, and types of their own for other layouts.
type jsonRecord struct {
	Name     string                    `json:"name"`
	At       time.Time                 `json:"at"`
	Optional *time.Time                `json:"optional"`
	Omitted  *time.Time                `json:"omitted,omitempty"`
	Day      inLayout[dateLayout]      `json:"day"`
	Minute   inLayout[minuteLayout]    `json:"minute"`
	Mail     inLayout[rfc1123ZLayout]  `json:"mail"`
	Web      inLayout[rfc1123Layout]   `json:"web"`
	Stamp    inLayout[referenceLayout] `json:"stamp"`
}

type layout interface{ layout() string }

type dateLayout struct{}
type minuteLayout struct{}
type rfc1123ZLayout struct{}
type rfc1123Layout struct{}
type referenceLayout struct{}

func (dateLayout) layout() string      { return "2006-01-02" }
func (minuteLayout) layout() string    { return "2006-01-02 15:04" }
func (rfc1123ZLayout) layout() string  { return time.RFC1123Z }
func (rfc1123Layout) layout() string   { return time.RFC1123 }
func (referenceLayout) layout() string { return time.Layout }

// inLayout is a time written as a JSON string in the layout L, the usual hand-written
// MarshalJSON and UnmarshalJSON pair (null is a no-op, by encoding/json's convention).
type inLayout[L layout] struct{ time.Time }

func (t inLayout[L]) MarshalJSON() ([]byte, error) {
	var l L
	return json.Marshal(t.Time.Format(l.layout()))
}

func (t *inLayout[L]) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	var l L
	var err error
	t.Time, err = time.Parse(l.layout(), s)
	return err
}

// JSONCase is one line of json.jsonl: a JSON document, whether it is what json.Marshal wrote
// for the values it decodes to (so a serializer must write it byte for byte), and what
// json.Unmarshal made of it: each time as [ticks, offset] (null for a nil pointer), or its error.
type JSONCase struct {
	JSON       string             `json:"json"`
	Marshalled bool               `json:"marshalled"`
	Times      map[string][]int64 `json:"times,omitempty"`
	Error      string             `json:"error,omitempty"`
}

// The zones cover whole-hour, half-hour and 45-minute offsets, southern-hemisphere and negative
// daylight saving time, numeric abbreviations ("+03") and historic local mean time with seconds.
var zones = []string{
	"UTC", "Asia/Tokyo", "America/New_York", "Europe/London", "Europe/Amsterdam", "Asia/Kolkata",
	"Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "Europe/Moscow",
	"Asia/Tehran", "Africa/Monrovia", "America/Sao_Paulo", "Pacific/Apia", "Europe/Dublin",
	"America/Caracas", "Antarctica/Troll", "Asia/Riyadh", "Australia/Sydney", "Pacific/Kiritimati",
	"America/Los_Angeles", "Europe/Paris", "Africa/Casablanca",
}

// Every element Go knows, and text around them that must stay literal or change the scan.
var elements = []string{
	"January", "Jan", "1", "01", "Monday", "Mon", "2", "_2", "02", "__2", "002", "15", "3", "03",
	"4", "04", "5", "05", "2006", "06", "PM", "pm", "MST", "Z0700", "Z070000", "Z07", "Z07:00",
	"Z07:00:00", "-0700", "-070000", "-07", "-07:00", "-07:00:00", ".0", ".00", ".000", ".000000",
	".000000000", ".9", ".99", ".999", ".999999", ".999999999", ",000", ",999", ".0000000000",
}

var literals = []string{
	" ", "T", ":", "-", "/", "at", "Janet", "Monday's", "Mond", "_", "__", "_2006", "2006x", ".", ",",
	"0", "9", "7", "8", "x", "Z", "PMZ", "pmx", "MSTX", "héllo", "日本", "Mon.", "'", "\t",
}

var constants = []string{
	"01/02 03:04:05PM '06 -0700", time.ANSIC, time.UnixDate, time.RubyDate, time.RFC822, time.RFC822Z,
	time.RFC850, time.RFC1123, time.RFC1123Z, time.RFC3339, time.RFC3339Nano, time.Kitchen, time.Stamp,
	time.StampMilli, time.StampMicro, time.StampNano, "2006-01-02 15:04:05", "2006-01-02", "15:04:05",
	"15:04:05\n",
}

// Case is one line of format.jsonl: an instant (100 ns ticks since 0001-01-01 UTC, as .NET counts),
// the offset it carries (when Zone is empty), the layout and what Go printed.
type Case struct {
	Ticks  int64  `json:"ticks"`
	Offset int    `json:"offset,omitempty"`
	Zone   string `json:"zone,omitempty"`
	Layout string `json:"layout"`
	Out    string `json:"out"`
}

// ParseCase is one line of parse.jsonl: a value, a layout, the zone for ParseInLocation (empty:
// time.Parse with Local = UTC), and Go's result (100 ns ticks since year 1 in UTC and the offset)
// or its error text.
type ParseCase struct {
	Value  string `json:"value"`
	Layout string `json:"layout"`
	Zone   string `json:"zone,omitempty"`
	Ticks  int64  `json:"ticks,omitempty"`
	Offset int    `json:"offset,omitempty"`
	Error  string `json:"error,omitempty"`
	// Representable is false when Go's result lies outside what .NET's DateTimeOffset holds
	// (year 0 or past 9999, an offset that is not whole minutes or beyond 14 h).
	Representable bool `json:"representable"`
	// OffsetAt and OffsetElement, set for the malformed numeric zones only, say where in Value
	// (in bytes, which are ASCII up to there) the layout's zone element begins: newer Go releases
	// report an offset field out of range where Go 1.19 reports what it could not parse.
	OffsetAt      int    `json:"offsetAt,omitempty"`
	OffsetElement string `json:"offsetElement,omitempty"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: TZ=UTC go run main.go OUTPUT-DIRECTORY")
		os.Exit(2)
	}
	r := rand.New(rand.NewSource(20261125))
	layouts := append([]string{}, constants...)
	layouts = append(layouts, elements...)
	for i := 0; i < 400; i++ {
		layouts = append(layouts, randomLayout(r))
	}
	writeFormat(r, layouts, create(os.Args[1]+"/format.jsonl"))
	writeParse(r, layouts, create(os.Args[1]+"/parse.jsonl"))
	writeJSON(r, create(os.Args[1]+"/json.jsonl"))
}

func create(path string) *json.Encoder {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	out := bufio.NewWriter(f)
	version, _ := os.ReadFile("/usr/share/zoneinfo/tzdata.zi")
	header := strings.SplitN(string(version), "\n", 2)[0]
	fmt.Fprintf(out, "{\"generator\":%q,\"tzdata\":%q}\n", runtime.Version(), strings.TrimPrefix(header, "# version "))
	enc := json.NewEncoder(&flushOnWrite{out})
	enc.SetEscapeHTML(false)
	return enc
}

// flushOnWrite keeps the buffered file current after every line, so nothing waits for a Close.
type flushOnWrite struct{ w *bufio.Writer }

func (f *flushOnWrite) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err == nil {
		err = f.w.Flush()
	}
	return n, err
}

func writeParse(r *rand.Rand, layouts []string, enc *json.Encoder) {
	var locations []*time.Location
	for _, name := range zones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(err)
		}
		locations = append(locations, loc)
	}
	record := func(value, layout string, loc *time.Location) {
		c := ParseCase{Value: value, Layout: layout}
		var t time.Time
		var err error
		if loc == nil {
			t, err = time.Parse(layout, value)
		} else {
			c.Zone = loc.String()
			t, err = time.ParseInLocation(layout, value, loc)
		}
		if err != nil {
			c.Error = err.Error()
			c.Representable = true
		} else {
			_, offset := t.Zone()
			c.Ticks = ticks(t)
			c.Offset = offset
			local := t.In(time.FixedZone("", offset))
			utc := t.UTC()
			c.Representable = utc.Year() >= 1 && utc.Year() <= 9999 && local.Year() >= 1 && local.Year() <= 9999 &&
				offset%60 == 0 && offset <= 14*3600 && offset >= -14*3600
		}
		enc.Encode(c)
	}
	for _, layout := range layouts {
		for i := 0; i < 5; i++ {
			var loc *time.Location
			shownIn := time.UTC
			if i%2 == 1 {
				loc = locations[r.Intn(len(locations))]
				shownIn = loc
			} else if r.Intn(2) == 0 {
				shownIn = locations[r.Intn(len(locations))]
			}
			value := randomInstant(r).In(shownIn).Format(layout)
			record(value, layout, loc)
			record(mutate(r, value), layout, loc)
		}
	}
	for _, value := range edgeValues {
		record(value[0], value[1], nil)
	}
	writeMalformedZones(enc)
}

// numericZones are the layout elements that read a numeric offset.
var numericZones = []string{"Z0700", "Z070000", "Z07", "Z07:00", "Z07:00:00", "-0700", "-070000", "-07", "-07:00", "-07:00:00"}

// malformedOffsets are zone texts with fields out of range, misplaced or missing, signs that are
// not signs, and text running into what follows; with " 1900" after them some run into the year.
var malformedOffsets = []string{
	"+99", "-60", "+32 +1245", "0330 NST", "-365 ", "-99:", "+2500", "-2400", "+0061", "-0060", "+0099",
	"+9930", "+24:00", "+25:00", "+05:61", "-00:99", "+05:30:61", "-05:30:60", "+053061", "+99:99:99",
	"+999999", "x0530", "x99:00", "0530", "+1", "+0", "-07:", "+07:0x", "++0700", "+-0700", "+07-00",
	"+0 700", "+7:00", "Z", "z0700", "Z99", "ZZ", "+", "",
}

// writeMalformedZones records every numeric zone element meeting every malformed offset, in the
// middle of a value (RubyDate's place, before the year) and at its end (RFC 3339's place).
func writeMalformedZones(enc *json.Encoder) {
	instant := time.Date(1900, time.September, 5, 1, 4, 6, 0, time.UTC)
	for _, element := range numericZones {
		for _, layout := range []string{"Mon Jan 02 15:04:05 " + element + " 2006", "2006-01-02T15:04:05" + element} {
			at := strings.Index(layout, element)
			prefix := instant.Format(layout[:at])
			suffix := instant.Format(layout[at+len(element):])
			for _, offset := range malformedOffsets {
				value := prefix + offset + suffix
				c := ParseCase{Value: value, Layout: layout, OffsetAt: len(prefix), OffsetElement: element, Representable: true}
				if t, err := time.Parse(layout, value); err != nil {
					c.Error = err.Error()
				} else {
					_, c.Offset = t.Zone()
					c.Ticks = ticks(t)
					c.Representable = c.Offset%60 == 0 && c.Offset <= 14*3600 && c.Offset >= -14*3600
				}
				enc.Encode(c)
			}
		}
	}
}

// edgeValues are values and layouts at the boundaries of Go's rules.
var edgeValues = [][2]string{
	{"2006-02-29", "2006-01-02"}, {"2004-02-29", "2006-01-02"}, {"2006-04-31", "2006-01-02"},
	{"2006-13-01", "2006-01-02"}, {"2006-00-01", "2006-01-02"}, {"24:00:00", "15:04:05"},
	{"23:60:00", "15:04:05"}, {"23:59:60", "15:04:05"}, {"12:00 AM", "3:04 PM"}, {"12:00 PM", "3:04 PM"},
	{"12:00 am", "3:04 pm"}, {"1:00 XM", "3:04 PM"}, {"13:00 PM", "3:04 PM"}, {"2006-01-02 extra", "2006-01-02"},
	{"2006-1-2", "2006-01-02"}, {"2006- 1- 2", "2006-_1-_2"}, {"Jan  2", "Jan _2"}, {"jan 02", "Jan 02"},
	{"JANUARY 02", "January 02"}, {"Janu 02", "Jan 02"}, {"060 2006", "002 2006"}, {"366 2004", "002 2006"},
	{"366 2005", "002 2006"}, {"000 2005", "002 2006"}, {" 60 2004", "__2 2006"}, {"032 2006 02", "002 2006 01"},
	{"032 2006 01", "002 2006 01"}, {"10:00:00.123456789123", "15:04:05"}, {"10:00:00,5", "15:04:05"},
	{"10:00:00.", "15:04:05"}, {"10:00:00.1234", "15:04:05.000"}, {"10:00:00.12", "15:04:05.000"},
	{"10:00:00.12345678912", "15:04:05.9"}, {"10:00:00", "15:04:05.999"}, {"10:00:00 JST", "15:04:05 MST"},
	{"10:00:00 GMT+3", "15:04:05 MST"}, {"10:00:00 GMT-11", "15:04:05 MST"}, {"10:00:00 +03", "15:04:05 MST"},
	{"10:00:00 ChST", "15:04:05 MST"}, {"10:00:00 WITA", "15:04:05 MST"}, {"10:00:00 ABCDE", "15:04:05 MST"},
	{"10:00:00 AB", "15:04:05 MST"}, {"10:00:00 UTC", "15:04:05 MST"}, {"10:00:00 Z", "15:04:05 Z07:00"},
	{"10:00:00 +25:00", "15:04:05 Z07:00"}, {"10:00:00 +24:00", "15:04:05 -07:00"}, {"10:00:00 +05:61", "15:04:05 -07:00"},
	{"10:00:00 +0530", "15:04:05 -0700"}, {"10:00:00 +05:30:15", "15:04:05 -07:00:00"}, {"10:00:00 -00:00:30", "15:04:05 Z07:00:00"},
	{"10:00:00 +14:00", "15:04:05 Z07:00"}, {"10:00:00 -12:00", "15:04:05 Z07:00"}, {"0000-01-01", "2006-01-02"},
	{"9999-12-31T23:59:59-01:00", time.RFC3339}, {"0001-01-01T00:00:00+01:00", time.RFC3339}, {"", "2006"},
	{"2006", ""}, {"", ""}, {"Mon Jan  2 15:04:05 2006", time.ANSIC}, {"Tue Jan  2 15:04:05 2006", time.ANSIC},
	{"Foo Jan  2 15:04:05 2006", time.ANSIC}, {"69", "06"}, {"68", "06"}, {"-001", "2006"}, {"+2006", "2006"},
	{"2006-01-02T15:04:05.999999999Z", time.RFC3339}, {"2006-01-02T15:04:05.9999999999Z", time.RFC3339Nano},
	{"2006-01-02\tx", "2006-01-02\tx"}, {"héllo 2006", "héllo 2006"}, {"hello 2006", "héllo 2006"},
	{"2006-01-02   15", "2006-01-02 15"}, {"2006-01-0215", "2006-01-02 15"},
}

// mutate changes a value a little: a character deleted, inserted, replaced, repeated or cut off.
func mutate(r *rand.Rand, value string) string {
	if value == "" {
		return "x"
	}
	// Runes, not bytes: values stay valid UTF-8, which is all a .NET string can hold.
	b := []rune(value)
	i := r.Intn(len(b))
	switch r.Intn(6) {
	case 0:
		return string(b[:i]) + string(b[i+1:])
	case 1:
		return string(b[:i]) + string("09 :.-+ZaAJ"[r.Intn(11)]) + string(b[i:])
	case 2:
		b[i] = rune("0123456789 :.-"[r.Intn(14)])
		return string(b)
	case 3:
		return string(b[:i])
	case 4:
		return value + []string{" ", "x", "0", ".5", "Z", " UTC"}[r.Intn(6)]
	default:
		return strings.ToLower(value)
	}
}

func writeFormat(r *rand.Rand, layouts []string, enc *json.Encoder) {

	// At the instant's own offset: UTC prints "UTC" for MST; other offsets have no name.
	for _, layout := range layouts {
		for i := 0; i < 6; i++ {
			t := randomInstant(r)
			offset := (r.Intn(14*60*2+1) - 14*60) * 60
			if r.Intn(4) == 0 {
				offset = 0
			}
			var shown time.Time
			if offset == 0 {
				shown = t.UTC()
			} else {
				shown = t.In(time.FixedZone("", offset))
			}
			if shown.Year() < 1 || shown.Year() > 9999 {
				continue
			}
			enc.Encode(Case{Ticks: ticks(t), Offset: offset, Layout: layout, Out: shown.Format(layout)})
		}
	}

	// In named zones: offsets and abbreviations from the tz database.
	for _, name := range zones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(err)
		}
		for i := 0; i < 180; i++ {
			layout := layouts[r.Intn(len(layouts))]
			if i%3 == 0 {
				layout = "2006-01-02 15:04:05.999999999 -07:00:00 MST Monday __2"
			}
			t := randomInstant(r)
			if i%4 == 1 {
				t = nearTransition(r, loc)
			}
			shown := t.In(loc)
			if shown.Year() < 1 || shown.Year() > 9999 {
				continue
			}
			enc.Encode(Case{Ticks: ticks(t), Zone: name, Layout: layout, Out: shown.Format(layout)})
		}
	}
}

func ticks(t time.Time) int64 {
	// Unix nanoseconds overflow int64 outside 1678..2262; 100 ns ticks since year 1 do not.
	return (t.Unix()+62135596800)*10_000_000 + int64(t.Nanosecond()/100)
}

// randomInstant picks years 1..9999 with extra weight on edges: month and day boundaries,
// leap days, midnight and noon, and recent decades.
func randomInstant(r *rand.Rand) time.Time {
	var year int
	switch r.Intn(5) {
	case 0:
		year = 1 + r.Intn(9999)
	case 1:
		year = 1900 + r.Intn(200)
	case 2:
		year = []int{1, 2, 99, 100, 1000, 1582, 1900, 1970, 2000, 2004, 2100, 2400, 9998, 9999}[r.Intn(14)]
	default:
		year = 1950 + r.Intn(100)
	}
	month := time.Month(1 + r.Intn(12))
	day := 1 + r.Intn(31)
	if r.Intn(5) == 0 {
		month, day = time.February, 28+r.Intn(2)
	}
	hour := r.Intn(24)
	if r.Intn(4) == 0 {
		hour = []int{0, 11, 12, 23}[r.Intn(4)]
	}
	nanos := r.Intn(10_000_000) * 100
	if r.Intn(3) == 0 {
		nanos = []int{0, 100, 1_000_000, 120_000_000, 999_999_900}[r.Intn(5)]
	}
	t := time.Date(year, month, day, hour, r.Intn(60), r.Intn(60), nanos, time.UTC)
	if t.Year() < 1 {
		t = t.AddDate(1, 0, 0)
	}
	if t.Year() > 9999 {
		t = t.AddDate(-1, 0, 0)
	}
	return t
}

// nearTransition finds an instant within a few seconds of an offset change of loc.
func nearTransition(r *rand.Rand, loc *time.Location) time.Time {
	t := time.Date(1850+r.Intn(220), time.Month(1+r.Intn(12)), 1, 0, 0, 0, 0, time.UTC)
	_, start := t.In(loc).Zone()
	for i := 0; i < 24*400; i++ {
		next := t.Add(time.Hour)
		if _, off := next.In(loc).Zone(); off != start {
			lo, hi := t, next
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.In(loc).Zone(); o == start {
					lo = mid
				} else {
					hi = mid
				}
			}
			t = hi.Add(time.Duration(r.Intn(5)-2) * time.Second)
			// .NET counts 100 ns ticks: keep the instant on one.
			return t.Add(-time.Duration(t.Nanosecond() % 100))
		}
		t = next
	}
	return t
}

func randomLayout(r *rand.Rand) string {
	var b strings.Builder
	n := 1 + r.Intn(6)
	for i := 0; i < n; i++ {
		if r.Intn(3) == 0 {
			b.WriteString(literals[r.Intn(len(literals))])
		} else {
			b.WriteString(elements[r.Intn(len(elements))])
		}
	}
	return b.String()
}

// writeJSON records json.Marshal's output for records of random instants at random offsets,
// and json.Unmarshal's results for those and for hand-written documents at the edges.
func writeJSON(r *rand.Rand, enc *json.Encoder) {
	at := func(t time.Time) time.Time {
		offset := (r.Intn(14*60*2+1) - 14*60) * 60
		shown := t.In(time.FixedZone("", offset))
		// .NET's DateTimeOffset holds local times in years 1 to 9999 only.
		if r.Intn(3) == 0 || shown.Year() < 1 || shown.Year() > 9999 {
			return t.UTC()
		}
		return shown
	}
	for i := 0; i < 200; i++ {
		rec := jsonRecord{Name: fmt.Sprintf("record %d", i), At: at(randomInstant(r))}
		if i == 0 {
			rec.At = time.Time{}
		}
		if r.Intn(2) == 0 {
			o := at(randomInstant(r))
			rec.Optional = &o
		}
		if r.Intn(3) == 0 {
			o := at(randomInstant(r))
			rec.Omitted = &o
		}
		rec.Day.Time = at(randomInstant(r))
		rec.Minute.Time = at(randomInstant(r))
		rec.Mail.Time = at(randomInstant(r))
		// Go prints an unnamed zone's MST as "+0900" and cannot read that back: keep it UTC.
		rec.Web.Time = randomInstant(r).UTC()
		rec.Stamp.Time = at(randomInstant(r))
		if y := rec.Stamp.Time.Year(); y < 1969 || y > 2068 {
			// Two-digit years read back as 1969..2068 only.
			rec.Stamp.Time = rec.Stamp.Time.AddDate(2000-y, 0, 0)
		}
		doc, err := json.Marshal(rec)
		if err != nil {
			panic(err)
		}
		enc.Encode(decodeJSON(string(doc), true))
	}
	for _, doc := range jsonDocuments {
		enc.Encode(decodeJSON(doc, false))
	}
}

// jsonDocuments are hand-written documents at the edges of UnmarshalJSON.
var jsonDocuments = []string{
	`{"at":"2026-11-25T08:01:02Z"}`, `{"at":"2026-11-25T08:01:02.123456789+09:00"}`,
	`{"at":"2026-11-25T08:01:02,5-03:30"}`, `{"at":"2026-11-25T08:01:02.1234567891Z"}`,
	`{"at":"2026-11-25T08:01:02.10Z"}`, `{"at":"2026-11-25t08:01:02z"}`, `{"at":"2026-11-25T08:01:02+00:00"}`,
	`{"at":null,"optional":null,"day":null,"web":null}`, `{"optional":"2026-11-25T08:01:02-07:00"}`, `{}`,
	`{"at":"2026-11-25 08:01:02Z"}`, `{"at":"2026-11-25T08:01:02"}`, `{"at":""}`, `{"at":12}`, `{"at":true}`,
	`{"at":"2026-11-25T24:00:00Z"}`, `{"at":"2026-02-30T00:00:00Z"}`, `{"at":"2026-11-25T08:01:02+14:00"}`,
	`{"at":"2026-11-25T08:01:02-12:00"}`, `{"at":"2026-11-25T8:01:02Z"}`, `{"at":"0001-01-01T00:00:00Z"}`,
	`{"at":"9999-12-31T23:59:59.9999999Z"}`, `{"day":"2026-11-25"}`, `{"day":"2026-11-25T08:00:00Z"}`,
	`{"day":"2026-13-01"}`, `{"minute":"2026-11-25 08:01"}`, `{"mail":"Wed, 25 Nov 2026 08:01:02 +0900"}`,
	`{"mail":"Wed, 25 Nov 2026 08:01:02 JST"}`, `{"web":"Wed, 25 Nov 2026 08:01:02 UTC"}`,
	`{"web":"wed, 25 nov 2026 08:01:02 UTC"}`, `{"stamp":"11/25 08:01:02AM '26 +0100"}`, `{"day":12}`,
}

func decodeJSON(doc string, marshalled bool) JSONCase {
	c := JSONCase{JSON: doc, Marshalled: marshalled}
	var rec jsonRecord
	if err := json.Unmarshal([]byte(doc), &rec); err != nil {
		c.Error = err.Error()
		return c
	}
	pair := func(t time.Time) []int64 {
		_, offset := t.Zone()
		return []int64{ticks(t), int64(offset)}
	}
	c.Times = map[string][]int64{
		"at": pair(rec.At), "day": pair(rec.Day.Time), "minute": pair(rec.Minute.Time), "mail": pair(rec.Mail.Time),
		"web": pair(rec.Web.Time), "stamp": pair(rec.Stamp.Time),
	}
	if rec.Optional != nil {
		c.Times["optional"] = pair(*rec.Optional)
	}
	if rec.Omitted != nil {
		c.Times["omitted"] = pair(*rec.Omitted)
	}
	return c
}
