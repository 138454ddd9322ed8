package logfmt

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFixtures(t *testing.T) {
	f, err := os.Open("testdata/formats.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") || sc.Text() == "" {
			continue
		}
		c := strings.Split(sc.Text(), "|")
		if len(c) != 13 {
			t.Fatalf("fixture %q: %d columns", c[0], len(c))
		}
		n++
		t.Run(c[0], func(t *testing.T) {
			var p *Plan
			var err error
			if c[1] == "" {
				p, err = Builtin(c[0])
			} else {
				p, err = Compile(c[1])
			}
			if err != nil {
				t.Fatal(err)
			}
			var r Record
			if err := p.Parse([]byte(c[2]), &r); err != nil {
				t.Fatal(err)
			}
			got := []string{string(r.Host), string(r.Time), string(r.Method), string(r.Path), string(r.Proto), string(r.Status), string(r.Bytes), string(r.Referer), string(r.UA), string(r.RespTime)}
			if diff := cmp.Diff(c[3:], got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	if n < 9 {
		t.Fatalf("only %d fixtures", n)
	}
}

func TestMalformed(t *testing.T) {
	p, _ := Builtin(CombinedTime)
	for _, line := range []string{
		"",
		"garbage",
		`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua"`,      // no time
		`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 2x0 5 "-" "ua" 0.1`,  // status
		`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5k "-" "ua" 0.1`, // size
		`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" slow`, // time
		`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1 200 5 "-" "ua" 0.1`,   // quote
		`1.2.3.4 - - [06/Dec/2026:10:00:00 +0000 "GET / HTTP/1.1" 200 5 "-" "ua" 0.1`,   // bracket
	} {
		var r Record
		if err := p.Parse([]byte(line), &r); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err %v, want ErrMalformed", line, err)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, f := range []string{"", "%", "%{Referer", "%Z", "$", "${x", "%h%u"} {
		if _, err := Compile(f); err == nil {
			t.Errorf("Compile(%q) succeeded", f)
		}
	}
}

func TestDetect(t *testing.T) {
	for name, line := range map[string]string{
		CombinedTime:  `1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua x" 0.1`,
		Combined:      `1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua x"`,
		SquidCombined: `1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET http://a/ HTTP/1.1" 200 5 "-" "ua x" TCP_MISS:HIER_DIRECT`,
		Common:        `1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5`,
		SquidNative:   `1765015200.123    456 10.0.0.9 TCP_MISS/200 1234 GET http://example.com/ - HIER_DIRECT/1.2.3.4 text/html`,
	} {
		p, err := Detect([][]byte{[]byte(line)})
		if err != nil || p.Name() != name {
			t.Errorf("Detect(%q) = %v, %v; want %s", line, p, err, name)
		}
	}
}

func TestParseTime(t *testing.T) {
	for in, want := range map[string]int64{
		"06/Dec/2026:10:00:00 +0000": 1796551200,
		"06/Dec/2026:11:00:00 +0100": 1796551200,
		"2026-12-06T10:00:00Z":       1796551200,
		"2026-12-06T05:00:00-05:00":  1796551200,
		"1796551200.250":             1796551200,
		"29/Feb/2024:00:00:00 +0000": 1709164800,
		"01/Jan/1970:00:00:00 +0000": 0,
	} {
		got, ok := ParseTime([]byte(in))
		if !ok || got != want {
			t.Errorf("ParseTime(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "06/Foo/2026:10:00:00 +0000", "yesterday", "06/Dec/2026:10:00:00 X"} {
		if _, ok := ParseTime([]byte(in)); ok {
			t.Errorf("ParseTime(%q) succeeded", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`10.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.0" 200 2326 "r" "ua" 0.1`, 0)
	f.Add(`1765015200.123    456 10.0.0.9 TCP_MISS/503 1234 GET http://example.com/path - HIER_DIRECT/1.2.3.4 text/html`, 3)
	f.Add(`1.2.3.4 - - [x] "\"" 1 - "\\" "\"`, 1)
	f.Fuzz(func(t *testing.T, line string, which int) {
		names := BuiltinNames()
		p, err := Builtin(names[uint(which)%uint(len(names))])
		if err != nil {
			t.Fatal(err)
		}
		var r Record
		if err := p.Parse([]byte(line), &r); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %v does not wrap ErrMalformed", err)
		}
		ParseTime(r.Time)
		_ = r.BytesValue()
	})
}

func FuzzCompile(f *testing.F) {
	f.Add(`%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D`, `1.2.3.4 - - [t] "GET / HTTP/1.1" 200 1 "-" "u" 5`)
	f.Add(`$remote_addr [$time_local] "$request" $status ${body_bytes_sent}x`, `1.2.3.4 [t] "GET /" 200 5x`)
	f.Fuzz(func(t *testing.T, format, line string) {
		p, err := Compile(format)
		if err != nil {
			return
		}
		var r Record
		if err := p.Parse([]byte(line), &r); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %v does not wrap ErrMalformed", err)
		}
	})
}
