package logfmt

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/weblog/gen"
)

// combinedFamily are the built-in formats parseCombined reads.
var combinedFamily = []string{Combined, Common, CombinedTime, SquidCombined}

// lastFields are the values Needing distinguishes: the last field read.
var lastFields = []Fields{FieldHost, FieldUser, FieldTime, FieldRequest, FieldStatus, FieldBytes, FieldReferer, FieldUA, FieldRespTime}

// fieldsUpTo returns the fields of r that a plan stopping after last fills, in line
// order.
func fieldsUpTo(r *Record, last Fields) [][]byte {
	all := []struct {
		f Fields
		v [][]byte
	}{
		{FieldHost, [][]byte{r.Host}},
		{FieldUser, [][]byte{r.User}},
		{FieldTime, [][]byte{r.Time, r.Stamp}},
		{FieldRequest, [][]byte{r.Method, r.Path, r.Proto}},
		{FieldStatus, [][]byte{r.Status}},
		{FieldBytes, [][]byte{r.Bytes}},
		{FieldReferer, [][]byte{r.Referer}},
		{FieldUA, [][]byte{r.UA}},
		{FieldRespTime, [][]byte{r.RespTime}},
	}
	var out [][]byte
	for _, x := range all {
		if x.f > last {
			break
		}
		out = append(out, x.v...)
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// checkDifferential compares parseCombined with the generic plan walk on one line:
// with every field they must agree exactly (fields, nil or empty, and error text);
// stopping after any field, the specialised parser must fill the same fields up to
// that one and leave the rest nil, may fail only where the full parse fails, and
// must accept every line the full parse accepts. On a combined-time line both
// parsers accept, the response time must be awk's $NF.
func checkDifferential(t *testing.T, p diffPlan, line []byte) {
	t.Helper()
	name := p.Name()
	if !p.combined {
		t.Fatalf("%s: not read by parseCombined", name)
	}
	// Both records hold another line's fields first: a parse sets or clears all.
	stale := []byte("stale")
	slow := Record{stale, stale, stale, stale, stale, stale, stale, stale, stale, stale, stale, stale}
	fast := slow
	gerr := p.parse(line, &slow, false)
	ferr := p.parse(line, &fast, true)
	if errText(gerr) != errText(ferr) {
		t.Fatalf("%s %q: generic error %v, specialised %v", name, line, gerr, ferr)
	}
	if gerr != nil && !errors.Is(ferr, ErrMalformed) {
		t.Fatalf("%s %q: error %v does not wrap ErrMalformed", name, line, ferr)
	}
	if !sameRecord(&slow, &fast) {
		diff := cmp.Diff(slow, fast)
		t.Fatalf("%s %q: records differ (-generic +specialised):\n%s", name, line, diff)
	}
	if gerr == nil && name == CombinedTime && !bytes.ContainsAny(line, "\r\v\f") {
		if nf := awkNF(line); string(slow.RespTime) != nf {
			t.Fatalf("%s %q: response time %q, awk's $NF %q", name, line, slow.RespTime, nf)
		}
	}
	for _, q := range p.needing {
		last := q.last
		part := Record{stale, stale, stale, stale, stale, stale, stale, stale, stale, stale, stale, stale}
		perr := q.Parse(line, &part)
		switch {
		case perr != nil && gerr == nil:
			t.Fatalf("%s %q: stopping after field %#x fails (%v) where reading all succeeds", name, line, last, perr)
		case perr != nil:
			if !errors.Is(perr, ErrMalformed) {
				t.Fatalf("%s %q: error %v does not wrap ErrMalformed", name, line, perr)
			}
			continue
		}
		if q.need&FieldRequest == 0 { // not split: compare the rest
			if part.Method != nil || part.Path != nil || part.Proto != nil {
				t.Fatalf("%s %q: request split when not needed", name, line)
			}
			part.Method, part.Path, part.Proto = slow.Method, slow.Path, slow.Proto
		}
		want := fieldsUpTo(&slow, last)
		got := fieldsUpTo(&part, AllFields)
		for i := range got {
			if i < len(want) {
				if !bytes.Equal(want[i], got[i]) || (want[i] == nil) != (got[i] == nil) {
					t.Fatalf("%s %q: stopping after field %#x: field %d is %q, reading all gives %q", name, line, last, i, got[i], want[i])
				}
			} else if got[i] != nil {
				t.Fatalf("%s %q: stopping after field %#x: field %d is %q, want nil (not read)", name, line, last, i, got[i])
			}
		}
	}
}

// sameRecord reports whether a and b hold the same bytes, nil in the same places.
func sameRecord(a, b *Record) bool {
	x, y := fieldsUpTo(a, AllFields), fieldsUpTo(b, AllFields)
	for i := range x {
		if !bytes.Equal(x[i], y[i]) || (x[i] == nil) != (y[i] == nil) {
			return false
		}
	}
	return true
}

// awkNF is $NF of gawk's default field splitting in the C locale: the last run of
// characters other than blanks (space, tab, newline).
func awkNF(line []byte) string {
	f := strings.FieldsFunc(string(line), func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// differentialLines are lines written to trip a parser: quotes and blanks inside
// quoted fields, escaped quotes, missing and extra fields, blanks and carriage
// returns at the end.
var differentialLines = []string{
	`10.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"`,
	`::1 - - [10/Oct/2000:13:55:36 -0700] "GET /a b c HTTP/1.1" 404 - "-" "UA with \"quote\" inside"`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /x.php HTTP/2.0" 200 5 "-" "curl/8" 61.250`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /x.php HTTP/2.0" 200 5 "-" "curl/8" 61.250 `,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /x.php HTTP/2.0" 200 5 "-" "curl/8" 61.250` + "\t\t",
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /x.php HTTP/2.0" 200 5 "-" "curl/8" 1 2 3`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /x.php HTTP/2.0" 200 5 "-" "curl/8" ` + "\r",
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /x.php HTTP/2.0" 200 5 "-" "curl/8" 0.5` + "\r",
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /x.php HTTP/2.0" 200 5 "-" "curl/8"`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /x.php HTTP/2.0" 200 5 "-" "curl/8"x 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /x.php HTTP/2.0" 200 5 "-" "curl "8" x" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /q?a=" HTTP/1.1" 200 5 "-" "u" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /q?a=\" HTTP/1.1" 200 5 "-" "u" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /q?a=\\" 200 5 "-" "u" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET /q" "x" HTTP/1.1" 200 5 "-" "u" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "" 400 0 "-" "-" 0.000`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "-" 408 0 "-" "-" 0.000`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 2x0 5 "-" "ua" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5k "-" "ua" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" slow`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1 200 5 "-" "ua" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000 "GET / HTTP/1.1" 200 5 "-" "ua" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" 0.1 "`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200  5 "-" "ua" 0.1`,
	`1.2.3.4  - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" 0.1`,
	`1.2.3.4 - frank smith [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" 0.1`,
	` - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1"  5 "-" "ua" 0.1`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 -`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 `,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1"`,
	`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000]`,
	`1.2.3.4 - - [06/Dec`,
	`1.2.3.4 - -`,
	`1.2.3.4`,
	`1.2.3.4 `,
	`1.2.3.4 - - [x] "\"" 1 - "\\" "\"`,
	`1.2.3.4 - - [x] "\\"" 1 - "\\\"" "\\" 9`,
	`10.1.1.1 - - [06/Dec/2026:10:00:00 +0000] "CONNECT www.example.com:443 HTTP/1.1" 200 5230 "-" "Mozilla/5.0" TCP_TUNNEL:HIER_DIRECT`,
	`10.1.1.1 - - [06/Dec/2026:10:00:00 +0000] "GET http://a.example/x HTTP/1.1" 200 5230 "-" "Mozilla/5.0"	TCP_MISS:HIER_DIRECT`,
	`2001:db8::1 - - [06/Dec/2026:10:00:00 +0000] "GET /a%20b?c=\"d e\" HTTP/1.1" 200 12 "http://x/ \"y\"" "Mozilla/5.0 (X11) \"Gecko\" like" 0.001`,
	"", "\r", " ", `"`, `- - - [] "" 0 0 "" ""`, `- - - [] "" 0 0 "" "" 0`,
}

// diffPlan is a combined-family plan and its copies stopping after each field.
type diffPlan struct {
	*Plan
	needing []*Plan
}

func familyPlans(t testing.TB) []diffPlan {
	var out []diffPlan
	for _, name := range combinedFamily {
		p, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		d := diffPlan{Plan: p}
		for _, last := range lastFields {
			d.needing = append(d.needing, p.Needing(last))
		}
		out = append(out, d)
	}
	return out
}

func TestCombinedDifferential(t *testing.T) {
	for _, p := range familyPlans(t) {
		for _, line := range differentialLines {
			checkDifferential(t, p, []byte(line))
		}
	}
}

// TestCombinedDifferentialGenerated compares the parsers on generated logs of every
// generated format and on the same lines with bytes that matter to the parsers
// (quotes, blanks, backslashes, brackets) inserted, deleted or replaced at random.
func TestCombinedDifferentialGenerated(t *testing.T) {
	plans := familyPlans(t)
	rnd := rand.New(rand.NewPCG(13, 42))
	special := []byte("\" \t\\[]-0.x\r")
	for _, f := range []gen.Format{gen.Combined, gen.CombinedTime, gen.SquidCombined} {
		var buf bytes.Buffer
		if _, err := gen.New(gen.Config{Seed: uint64(f) + 7, Lines: 2000, Clients: 50, URLs: 60, Format: f}).WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		for _, line := range bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n")) {
			mutated := append([]byte(nil), line...)
			for k := rnd.IntN(4); k > 0; k-- {
				i := rnd.IntN(len(mutated) + 1)
				c := special[rnd.IntN(len(special))]
				switch rnd.IntN(3) {
				case 0:
					mutated = append(mutated[:i], append([]byte{c}, mutated[i:]...)...)
				case 1:
					if i < len(mutated) {
						mutated = append(mutated[:i], mutated[i+1:]...)
					}
				default:
					if i < len(mutated) {
						mutated[i] = c
					}
				}
			}
			for _, p := range plans {
				checkDifferential(t, p, line)
				checkDifferential(t, p, mutated)
			}
		}
	}
}

// TestCombinedGeneratedParse checks that the generated combined-time log parses with
// no malformed line, so the generated half of the differential test compares
// accepted lines and not only errors.
func TestCombinedGeneratedParse(t *testing.T) {
	var buf bytes.Buffer
	if _, err := gen.New(gen.Config{Seed: 3, Lines: 2000, Format: gen.CombinedTime}).WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	p, _ := Builtin(CombinedTime)
	var r Record
	for i, line := range bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n")) {
		if err := p.Parse(line, &r); err != nil {
			t.Fatalf("line %d %q: %v", i+1, line, err)
		}
		if r.RespTime == nil || r.UA == nil {
			t.Fatalf("line %d %q: no response time or User-Agent", i+1, line)
		}
	}
}

func FuzzCombinedDifferential(f *testing.F) {
	for i, l := range differentialLines {
		f.Add(l, i)
	}
	plans := familyPlans(f)
	f.Fuzz(func(t *testing.T, line string, which int) {
		checkDifferential(t, plans[uint(which)%uint(len(plans))], []byte(line))
	})
}

func TestFieldsLast(t *testing.T) {
	for _, tc := range []struct {
		in, want Fields
	}{
		{0, FieldHost},
		{FieldHost, FieldHost},
		{FieldBytes, FieldBytes},
		{FieldHost | FieldStatus | FieldTime, FieldStatus},
		{FieldUA | FieldRequest, FieldUA},
		{AllFields, FieldRespTime},
	} {
		t.Run(fmt.Sprintf("%#x", tc.in), func(t *testing.T) {
			if got := tc.in.last(); got != tc.want {
				t.Errorf("last(%#x) = %#x, want %#x", tc.in, got, tc.want)
			}
		})
	}
}

// benchLines are generated combined-time lines for the parser benchmarks.
func benchLines(b *testing.B) [][]byte {
	var buf bytes.Buffer
	if _, err := gen.New(gen.Config{Seed: 1, Lines: 20000, Clients: 400, URLs: 300, Format: gen.CombinedTime}).WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	return bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
}

func benchParse(b *testing.B, need Fields, fast bool) {
	lines := benchLines(b)
	p, _ := Builtin(CombinedTime)
	p = p.Needing(need)
	var r Record
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := p.parse(lines[i%len(lines)], &r, fast); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseGeneric(b *testing.B)      { benchParse(b, AllFields, false) }
func BenchmarkParseCombinedAll(b *testing.B)  { benchParse(b, AllFields, true) }
func BenchmarkParseCombinedSize(b *testing.B) { benchParse(b, FieldBytes, true) }
