package closecmd

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/source/sourcetest"
	"github.com/netstat-go/netstat/netstat"
)

func sock(proto netstat.Proto, local, remote string, st netstat.TCPState, inode uint64) netstat.Socket {
	return netstat.Socket{Proto: proto, Family: netstat.IPv4, Local: netip.MustParseAddrPort(local),
		Remote: netip.MustParseAddrPort(remote), State: st, Inode: inode, Cookie: inode + 1000}
}

func snapshot() *netstat.Snapshot {
	return &netstat.Snapshot{
		Taken: time.Unix(0, 0),
		Inet: []netstat.Socket{
			sock(netstat.TCP, "0.0.0.0:8080", "0.0.0.0:0", netstat.Listen, 10),
			sock(netstat.TCP, "10.0.0.1:8080", "10.0.0.9:40001", netstat.Established, 11),
			sock(netstat.TCP, "10.0.0.1:8080", "10.0.0.9:40002", netstat.Established, 12),
			sock(netstat.TCP, "10.0.0.1:41000", "192.0.2.80:443", netstat.Established, 13),
			sock(netstat.UDP, "10.0.0.1:8080", "10.0.0.9:40001", 1, 14),
		},
		Owners: map[uint64][]netstat.Process{
			11: {{PID: 70, Name: "web\x1b[2Jserver-with-a-long-name"}},
			12: {{PID: 70, Name: "web\x1b[2Jserver-with-a-long-name"}},
		},
	}
}

type result struct {
	rc             int
	stdout, stderr string
	destroyed      []netstat.SocketKey
	queries        int
}

func run(t *testing.T, fake *sourcetest.Fake, terminal bool, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{src: fake, destroy: fake, terminal: terminal, stdin: strings.NewReader(stdin),
		stdout: &out, stderr: &errb, timeout: time.Second}
	rc := e.run(context.Background(), args)
	r := result{rc: rc, stdout: out.String(), stderr: errb.String(), queries: len(fake.Queries)}
	for i := range fake.Destroyed {
		r.destroyed = append(r.destroyed, fake.Destroyed[i].Key())
	}
	return r
}

const header = "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"

func TestClosesWhatTheFilterSelects(t *testing.T) {
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snapshot()}}
	r := run(t, fake, false, "", "sport = :8080 and state established")
	if r.rc != 0 {
		t.Fatalf("rc %d, stderr %q", r.rc, r.stderr)
	}
	// net-tools' netstat -tn row layout.
	want := header +
		"tcp        0      0 10.0.0.1:8080           10.0.0.9:40001          ESTABLISHED\n" +
		"tcp        0      0 10.0.0.1:8080           10.0.0.9:40002          ESTABLISHED\n"
	if diff := cmp.Diff(want, r.stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	snap := snapshot()
	wantKeys := []netstat.SocketKey{snap.Inet[1].Key(), snap.Inet[2].Key()}
	if diff := cmp.Diff(wantKeys, r.destroyed, cmpopts.EquateComparable(netip.AddrPort{})); diff != "" {
		t.Errorf("destroyed (-want +got):\n%s", diff)
	}
	q := fake.Queries[0]
	if len(q.Protos) != 1 || q.Protos[0] != netstat.TCP || q.Filter == nil {
		t.Errorf("query %+v: want TCP only with the filter pushed down", q)
	}
}

func TestProgramColumnIsSanitised(t *testing.T) {
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snapshot()}}
	r := run(t, fake, false, "", "-p", "--yes", "dst 10.0.0.9:40001")
	if r.rc != 0 {
		t.Fatalf("rc %d, stderr %q", r.rc, r.stderr)
	}
	if strings.Contains(r.stdout, "\x1b") || !strings.Contains(r.stdout, `70/web\x1b[2Jserver-wi`) {
		t.Errorf("program column not sanitised:\n%q", r.stdout)
	}
	if fake.Queries[0].Extras&source.WithOwners == 0 {
		t.Error("-p did not ask for owners")
	}
}

func TestRefusesEmptyAndBadFilters(t *testing.T) {
	for _, args := range [][]string{nil, {""}, {"  "}, {"--yes"}} {
		fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snapshot()}}
		r := run(t, fake, false, "", args...)
		if r.rc != 2 || !strings.Contains(r.stderr, "refusing to close every TCP socket") || r.queries != 0 || len(r.destroyed) != 0 {
			t.Errorf("args %q: rc %d stderr %q queries %d", args, r.rc, r.stderr, r.queries)
		}
		if n := strings.Count(r.stderr, "\n"); n != 2 {
			t.Errorf("usage error is %d lines, want message + hint", n)
		}
	}
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snapshot()}}
	r := run(t, fake, false, "", "dport", "=", ":x")
	if r.rc != 2 || !strings.Contains(r.stderr, "FILTER: bad port") || len(r.destroyed) != 0 {
		t.Errorf("bad filter: rc %d stderr %q", r.rc, r.stderr)
	}
	r = run(t, fake, false, "", "--help")
	if r.rc != 0 || !strings.HasPrefix(r.stdout, "usage: netstat close") {
		t.Errorf("--help: rc %d stdout %q", r.rc, r.stdout)
	}
}

func TestAsksOnATerminal(t *testing.T) {
	for _, tt := range []struct {
		answer string
		closed int
		rc     int
	}{{"y\n", 1, 0}, {"yes\n", 1, 0}, {"n\n", 0, 1}, {"\n", 0, 1}, {"", 0, 1}} {
		fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snapshot()}}
		r := run(t, fake, true, tt.answer, "dst", "192.0.2.80")
		if r.rc != tt.rc || len(r.destroyed) != tt.closed {
			t.Errorf("answer %q: rc %d, closed %d", tt.answer, r.rc, len(r.destroyed))
		}
		if !strings.Contains(r.stderr, "192.0.2.80:443          ESTABLISHED\nClose 1 socket? [y/N] ") {
			t.Errorf("answer %q: the question does not list the socket:\n%s", tt.answer, r.stderr)
		}
	}
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snapshot()}}
	if r := run(t, fake, true, "", "--yes", "dst", "192.0.2.80"); r.rc != 0 || len(r.destroyed) != 1 || strings.Contains(r.stderr, "[y/N]") {
		t.Errorf("--yes on a terminal asked or did not close: %+v", r)
	}
}

func TestReportsSocketsItCouldNotClose(t *testing.T) {
	tests := []struct {
		name, want string
		err        error
	}{
		{"kernel without destroy support", "the kernel cannot close sockets (built without CONFIG_INET_DIAG_DESTROY): operation not supported",
			fmt.Errorf("%w: %w", source.ErrDestroyUnsupported, syscall.EOPNOTSUPP)},
		{"not root", "closing a socket needs CAP_NET_ADMIN (run as root): operation not permitted",
			fmt.Errorf("%w: %w", source.ErrPermission, syscall.EPERM)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snapshot()}, DestroyErr: tt.err}
			r := run(t, fake, false, "", "sport = :8080")
			if r.rc != 1 || r.stdout != "" {
				t.Errorf("rc %d stdout %q", r.rc, r.stdout)
			}
			want := "netstat close: not closed: tcp 0.0.0.0:8080 -> 0.0.0.0:0: " + tt.want + "\n" +
				"netstat close: 2 sockets more not tried, for the same reason\n" +
				"netstat close: closed 0 of 3 sockets\n"
			if diff := cmp.Diff(want, r.stderr); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
	// A socket that went away in the meantime is reported and the others closed.
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snapshot()}, DestroyErr: fmt.Errorf("%w: %w", source.ErrNotFound, syscall.ENOENT)}
	r := run(t, fake, false, "", "sport = :8080")
	if r.rc != 1 || strings.Count(r.stderr, "no such socket") != 3 {
		t.Errorf("ENOENT: rc %d stderr %q", r.rc, r.stderr)
	}
}

func TestNothingMatches(t *testing.T) {
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snapshot()}}
	r := run(t, fake, false, "", "dport = :9")
	if r.rc != 1 || r.stderr != "netstat close: no TCP socket matches \"dport = :9\"\n" || len(r.destroyed) != 0 {
		t.Errorf("rc %d stderr %q", r.rc, r.stderr)
	}
}
