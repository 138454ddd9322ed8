package winnetstat

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/winsource"
	"github.com/netstat-go/netstat/netstat"
)

// fakeHost serves fixed values and counts the calls.
type fakeHost struct {
	l        *winsource.Listing
	elevated bool
	calls    int
}

func (h *fakeHost) Listing(ctx context.Context, q source.Query, modules bool) (*winsource.Listing, error) {
	h.calls++
	return h.l, nil
}

func (h *fakeHost) Counters(ctx context.Context) (*source.Counters, error) {
	return &source.Counters{IPv4: []netstat.CounterSection{section("Tcp", "ActiveOpens", 7)}}, nil
}

func (h *fakeHost) Ethernet(ctx context.Context) (*winsource.EthernetStats, error) {
	return &winsource.EthernetStats{RecvBytes: 1}, nil
}

func (h *fakeHost) Routes(ctx context.Context) (*winsource.RouteTable, error) {
	return &winsource.RouteTable{}, nil
}

func (h *fakeHost) Elevated() bool { return h.elevated }

func run(t *testing.T, h *fakeHost, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	rc := Run(context.Background(), args, &out, &errb, &Env{Host: h})
	return rc, out.String(), errb.String()
}

func testHost() *fakeHost {
	return &fakeHost{l: listing([]conn{
		{netstat.TCP, "0.0.0.0:135", "0.0.0.0:0", netstat.Listen, 1712, nil},
		{netstat.TCP, "10.0.0.1:5000", "10.0.0.2:443", netstat.Established, 99, nil},
		{netstat.TCP, "10.0.0.1:5001", "10.0.0.3:443", netstat.Established, 99, nil},
		{netstat.TCP, "10.0.0.1:5002", "10.0.0.3:80", netstat.SynSent, 98, nil},
	})}
}

func TestRunExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		rc     int
		stdout string // substring
		stderr string // substring
	}{
		{[]string{"/?"}, 0, "NETSTAT [-a] [-b]", ""},
		{[]string{"-z"}, 1, "NETSTAT [-a] [-b]", "unknown option"},
		{[]string{"-x"}, 1, "", "-x is not supported by netstat-go"},
		{[]string{"-t"}, 1, "", "-t is not supported by netstat-go"},
		{[]string{"-q"}, 1, "", "-q is not supported by netstat-go"},
		{[]string{"-i"}, 1, "", "-i is not supported by netstat-go"},
		{[]string{"-y"}, 1, "", "-y is not supported by netstat-go"},
		{[]string{"-b"}, 1, ElevationMessage + "\r\n", ""},
		{[]string{"-an"}, 0, "LISTENING", ""},
		{[]string{"-s", "-p", "tcp"}, 0, "  Active Opens                        = 7\r\n", ""},
		{[]string{"-e"}, 0, "Interface Statistics", ""},
		{[]string{"-r"}, 0, "IPv4 Route Table", ""},
		{[]string{"-n", "--filter", "bogus ((("}, 1, "", "--filter"},
		{[]string{"-n", "--count", "user"}, 1, "", "not available on Windows"},
		{[]string{"states", "NOPE"}, 2, "", "unknown state"},
		{[]string{"states", "--help"}, 0, "usage: netstat states", ""},
	} {
		rc, out, errs := run(t, testHost(), tc.args...)
		if rc != tc.rc || !strings.Contains(out, tc.stdout) || !strings.Contains(errs, tc.stderr) {
			t.Errorf("%q: rc %d stdout %q stderr %q; want rc %d, stdout with %q, stderr with %q",
				tc.args, rc, out, errs, tc.rc, tc.stdout, tc.stderr)
		}
		if tc.stderr != "" && strings.Count(errs, "\n") != 1 {
			t.Errorf("%q: stderr is not one line: %q", tc.args, errs)
		}
	}
}

func TestRunExtensions(t *testing.T) {
	rc, out, _ := run(t, testHost(), "-ano", "--filter", "dport = :443")
	if rc != 0 || strings.Contains(out, ":80 ") || strings.Count(out, ":443") != 2 || strings.Contains(out, "LISTENING") {
		t.Errorf("--filter: rc %d\n%s", rc, out)
	}
	rc, out, _ = run(t, testHost(), "-an", "--count", "state,pid")
	// Ties ordered as sort | uniq -c | sort -rn orders them.
	want := "      2 ESTABLISHED 99\r\n      1 SYN_SENT 98\r\n      1 LISTENING 1712\r\n"
	if rc != 0 || out != want {
		t.Errorf("--count: rc %d\n got %q\nwant %q", rc, out, want)
	}
	rc, out, _ = run(t, testHost(), "-n", "--json")
	if rc != 0 || !strings.HasPrefix(out, `{"schema_version":2,"kind":"windows_connections","connections":[{"proto":"TCP","local_address":"10.0.0.1","local_port":5000,"remote_address":"10.0.0.2","remote_port":443,"state":"ESTABLISHED","pid":99}`) {
		t.Errorf("--json: rc %d\n%s", rc, out)
	}
	rc, out, _ = run(t, testHost(), "states", "established", "SYN_SENT")
	want = "      1 SYN_SENT     connect() sent a SYN, waiting for the SYN-ACK\r\n      2 ESTABLISHED  open: data flows both ways\r\n      4 TCP connections in all\r\n"
	if rc != 0 || out != want {
		t.Errorf("states: rc %d\n got %q\nwant %q", rc, out, want)
	}
}

// TestRunInterval checks that an interval redisplays until the context ends (Ctrl+C).
func TestRunInterval(t *testing.T) {
	h := testHost()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var slept []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d)
		if len(slept) == 3 {
			cancel()
		}
		return ctx.Err()
	}
	var out, errb bytes.Buffer
	rc := Run(ctx, []string{"-n", "2"}, &out, &errb, &Env{Host: h, Sleep: sleep})
	if rc != 0 || h.calls != 3 || strings.Count(out.String(), "Active Connections") != 3 {
		t.Errorf("rc %d, %d reads, output:\n%s", rc, h.calls, out.String())
	}
	for _, d := range slept {
		if d != 2*time.Second {
			t.Errorf("slept %v, want 2s", d)
		}
	}
}
