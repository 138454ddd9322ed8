package weblog_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netstat-go/netstat/internal/weblog"
)

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	rc := weblog.Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return rc, out.String(), errb.String()
}

const combinedNoTime = `10.0.0.1 - - [06/Dec/2026:10:00:00 +0000] "GET /a.php HTTP/1.1" 200 300 "-" "Mozilla/5.0 (X11) Firefox/99"
`

func TestExitStatusAndMessages(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		stdin  string
		rc     int
		stdout string // substring
		stderr string // substring
	}{
		{"help", []string{"--help"}, "", 0, "usage: netstat weblog REPORT", ""},
		{"no report", nil, "", 2, "", "missing REPORT"},
		{"unknown report", []string{"nope"}, "", 2, "", `unknown report "nope"`},
		{"bad flag", []string{"top-ips", "--frobnicate"}, "", 2, "", "Try 'netstat weblog --help'"},
		{"bad status", []string{"status", "--status", "abc"}, "", 2, "", "--status"},
		{"bad cidr", []string{"top-ips", "--ip", "10.0.0.0/99"}, "", 2, "", "--ip"},
		{"slow without time field", []string{"slow", "--over", "30"}, combinedNoTime, 1, "", "slow needs a response-time field, and the combined log format has none"},
		{"slowest without time field", []string{"slowest"}, combinedNoTime, 1, "", "slowest needs a response-time field"},
		{"malformed counted", []string{"top-ips"}, combinedNoTime + "junk\n" + combinedNoTime + "more junk\n", 0, "      2 10.0.0.1\n", "2 of 4 lines malformed and skipped (at standard input:2, standard input:4)"},
		{"missing file", []string{"top-ips", "/nonexistent/log"}, "", 1, "", "/nonexistent/log"},
		{"flags after files", []string{"top-ips", "-", "--top", "1"}, combinedNoTime, 0, "      1 10.0.0.1\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, out, errs := run(t, tc.stdin, tc.args...)
			if rc != tc.rc || !strings.Contains(out, tc.stdout) || !strings.Contains(errs, tc.stderr) {
				t.Errorf("rc %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", rc, tc.rc, out, tc.stdout, errs, tc.stderr)
			}
		})
	}
}

// TestFilters checks the filters on a hand-written log whose answers are counted by hand.
func TestFilters(t *testing.T) {
	log := strings.Join([]string{
		`10.0.0.1 - - [06/Dec/2026:10:00:00 +0000] "GET /a.php HTTP/1.1" 200 300 "-" "Mozilla/5.0 Firefox" 0.5`,
		`10.0.0.2 - - [06/Dec/2026:11:00:00 +0000] "GET /b.html HTTP/1.1" 404 - "-" "Googlebot/2.1" 1.5`,
		`2001:db8::7 - - [06/Dec/2026:12:00:00 +0000] "POST /a.php?x=1 HTTP/1.1" 500 10 "-" "-" 2.5`,
		`10.0.1.9 - - [06/Dec/2026:13:00:00 +0100] "GET /user/42/profile HTTP/1.1" 200 10 "-" "Mozilla/5.0 Safari" 3.5`,
		`10.0.1.9 - - [06/Dec/2026:14:00:00 +0000] "GET /user/7/profile HTTP/1.1" 200 10 "-" "Mozilla/5.0 Safari" 4.5`,
	}, "\n") + "\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"top-ips", "--ip", "10.0.0.0/24"}, "      1 10.0.0.2\n      1 10.0.0.1\n"},
		{[]string{"top-ips", "--exclude-ip", "10.0.0.0/8"}, "      1 2001:db8::7\n"},
		{[]string{"top-ips", "--ip", "2001:db8::/32"}, "      1 2001:db8::7\n"},
		{[]string{"status", "--status", "4xx,500"}, "      1 500\n      1 404\n"},
		{[]string{"top-urls", "--match", `\.php`}, "      1 /a.php?x=1\n      1 /a.php\n"},
		{[]string{"top-urls", "--group", `^/user/\d+/profile$=/user/:id/profile`}, "      2 /user/:id/profile\n      1 /b.html\n      1 /a.php?x=1\n      1 /a.php\n"},
		{[]string{"top-ips", "--since", "2026-12-06T11:00:00Z", "--until", "2026-12-06T12:30:00Z"}, "      1 2001:db8::7\n      1 10.0.1.9\n      1 10.0.0.2\n"},
		{[]string{"crawlers"}, "      1 Googlebot/2.1\n      1 -\n"},
		{[]string{"top-ips", "--bots", "only"}, "      1 2001:db8::7\n      1 10.0.0.2\n"},
		{[]string{"top-ips", "--bots", "exclude"}, "      2 10.0.1.9\n      1 10.0.0.1\n"},
		{[]string{"slow", "--over", "2"}, "      1 /user/7/profile\n      1 /user/42/profile\n      1 /a.php?x=1\n"},
		{[]string{"slow", "--over", "0.002", "--time-unit", "ms"}, "      1 /user/7/profile\n      1 /user/42/profile\n      1 /a.php?x=1\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			rc, out, errs := run(t, log, tc.args...)
			if rc != 0 || out != tc.want {
				t.Errorf("rc %d stderr %q\n got %q\nwant %q", rc, errs, out, tc.want)
			}
		})
	}
}

func TestReportFormats(t *testing.T) {
	dir := t.TempDir()
	log := `10.0.0.1 - - [06/Dec/2026:10:00:00 +0000] "GET /a.php HTTP/1.1" 200 300 "-" "Mozilla/5.0 Firefox" 0.5` + "\n" +
		`10.0.0.2 - - [06/Dec/2026:11:00:00 +0000] "GET /<b>.html HTTP/1.1" 404 - "-" "Googlebot/2.1" 1.5` + "\n"
	rc, out, errs := run(t, log, "report", "--json")
	if rc != 0 || !strings.Contains(out, `"top_ips"`) || !strings.Contains(out, `"p95"`) {
		t.Fatalf("--json: rc %d %s %s", rc, out, errs)
	}
	page := filepath.Join(dir, "r.html")
	if rc, _, errs := run(t, log, "report", "--html", page); rc != 0 {
		t.Fatalf("--html: %s", errs)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"<svg id=\"chart-requests\"", "&lt;b&gt;.html", "chart-errors", "chart-traffic"} {
		if !strings.Contains(string(b), s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	if strings.Contains(string(b), "<b>.html") {
		t.Error("a path reached the page unescaped")
	}
	for _, s := range []string{"http://", "https://"} {
		if strings.Contains(strings.ReplaceAll(string(b), `xmlns="http://www.w3.org/2000/svg"`, ""), s) {
			t.Errorf("the page refers to the network (%s)", s)
		}
	}
}

// TestLogFormats runs reports over the other formats: an Apache LogFormat with %D
// (microseconds), an nginx log_format with $request_time in the middle, Squid native.
func TestLogFormats(t *testing.T) {
	apache := `10.0.0.1 - - [06/Dec/2026:10:00:00 +0000] "GET /a.php HTTP/1.1" 200 12 "-" "UA x" 250000` + "\n" +
		`10.0.0.2 - - [06/Dec/2026:10:00:01 +0000] "GET /b.php HTTP/1.1" 200 12 "-" "UA x" 31000000` + "\n"
	nginx := `10.0.0.1 [06/Dec/2026:10:00:00 +0000] rt=45.5 "GET /slow HTTP/1.1" 200 12` + "\n" +
		`10.0.0.2 [06/Dec/2026:10:00:01 +0000] rt=0.5 "GET /fast HTTP/1.1" 200 12` + "\n"
	squid := "1765015200.123    456 10.0.0.9 TCP_MISS/200 1234 GET http://example.com/path - HIER_DIRECT/1.2.3.4 text/html\n" +
		"1765015201.000  40000 10.0.0.9 TCP_TUNNEL/200 5000000000 CONNECT example.com:443 - HIER_DIRECT/1.2.3.4 -\n" +
		"1765015202.000      5 10.0.0.8 TCP_MISS/404 10 GET http://other.org/x - HIER_DIRECT/1.2.3.4 text/html\n"
	for _, tc := range []struct {
		name, log string
		args      []string
		want      string
	}{
		{"apache %D", apache, []string{"slow", "--over", "30", "--log-format", `%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D`}, "      1 /b.php\n"},
		{"apache %D slowest", apache, []string{"slowest", "--log-format", `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D`}, "31000000 10.0.0.2 [06/Dec/2026:10:00:01 /b.php\n250000 10.0.0.1 [06/Dec/2026:10:00:00 /a.php\n"},
		{"combined-time as us", apache, []string{"slow", "--over", "30", "--format", "combined-time", "--time-unit", "us"}, "      1 /b.php\n"},
		{"nginx", nginx, []string{"slow", "--over", "30", "--log-format", `$remote_addr [$time_local] rt=$request_time "$request" $status $body_bytes_sent`}, "      1 /slow\n"},
		{"squid native domains", squid, []string{"domains"}, "example.com\t5000001234\nother.org\t10\n"},
		{"squid native status", squid, []string{"status"}, "      2 200\n      1 404\n"},
		{"squid native slow (ms)", squid, []string{"slow", "--over", "1"}, "      1 example.com:443\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, out, errs := run(t, tc.log, tc.args...)
			if rc != 0 || out != tc.want {
				t.Errorf("rc %d stderr %q\n got %q\nwant %q", rc, errs, out, tc.want)
			}
		})
	}
}
