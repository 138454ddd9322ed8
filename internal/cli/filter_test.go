package cli

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/internal/procfd"
	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/netstat"
)

// These tests run filtered and counted listings over the fixture tree of
// TestListingGolden (testdata/listing) and compare them with what the classic
// pipelines print when run over net-tools' own output for the same files
// (testdata/listing/want/NN.stdout): a filter must print exactly the header and rows
// of net-tools that the equivalent awk selects, a count exactly what
// `sort | uniq -c | sort -rn` makes of the equivalent awk's fields.

const listingDir = "testdata/listing"

// fixtureOwners is a process table for the fixture's sockets: nginx (PID 100) holds the
// 8080 listener and one accepted connection, sshd (PID 7) the ssh listener.
func fixtureOwners(bool) *procfd.Owners {
	link := func(ino string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("socket:[" + ino + "]"), Mode: os.ModeSymlink}
	}
	return procfd.Scan(fstest.MapFS{
		"100/cmdline": {Data: []byte("/usr/sbin/nginx\x00-g\x00daemon off;\x00")},
		"100/fd/3":    link("56518"),
		"100/fd/4":    link("56522"),
		"7/cmdline":   {Data: []byte("/usr/sbin/sshd\x00-D\x00")},
		"7/fd/3":      link("56517"),
	})
}

// runFixture runs netstat with args over the fixture tree, as Main does.
func runFixture(t *testing.T, args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	argv, ext, act := splitExtensions(append([]string{"netstat"}, args...))
	if act != nil {
		return "", act.Stderr, act.Exit
	}
	cfg, warnings, act := Parse(argv, false)
	if act != nil {
		t.Fatalf("Parse stopped: %+v", act)
	}
	cfg.Ext = ext
	var out, errOut bytes.Buffer
	errOut.WriteString(warnings)
	e := fixtureEnv(listingDir, &out, &errOut)
	e.owners = fixtureOwners
	if _, act := e.compileSelection(context.Background(), cfg); act != nil {
		return "", act.Stderr, act.Exit
	}
	exit = exitStatus(e.run(context.Background(), cfg))
	e.stdout.Flush()
	return out.String(), errOut.String(), exit
}

// pipeline runs a shell pipeline over net-tools' captured output want/NN.stdout.
func pipeline(t *testing.T, capture, script string) string {
	t.Helper()
	nstest.RequireTools(t, "sh", "awk", "sort", "uniq", "cut", "sed", "head")
	in, err := os.ReadFile(filepath.Join(listingDir, "want", capture+".stdout"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return string(out)
}

// inetRows is an awk program that prints the two header lines of the Internet table of
// a captured listing and the rows for which cond holds, and stops at the unix table.
func inetRows(cond string) string {
	return `awk '/^Active UNIX/ {exit} NR <= 2 {print; next} ` + cond + `'`
}

func TestFilteredListing(t *testing.T) {
	tests := []struct {
		args    []string
		capture string // net-tools' output with the same options but the filter
		script  string
	}{
		{[]string{"-an", "--filter", "sport = :7001"}, "02", inetRows(`$4 ~ /:7001$/`)},
		{[]string{"-an", "--filter", "dport = :7001"}, "02", inetRows(`$5 ~ /:7001$/`)},
		{[]string{"-an", "--filter=sport=:7001"}, "02", inetRows(`$4 ~ /:7001$/`)},
		{[]string{"-an", "--state=time-wait,CLOSE_WAIT"}, "02", inetRows(`$6 == "TIME_WAIT" || $6 == "CLOSE_WAIT"`)},
		{[]string{"-an", "--filter", "state time-wait state close-wait"}, "02", inetRows(`$6 == "TIME_WAIT" || $6 == "CLOSE_WAIT"`)},
		// Connected UDP and raw sockets are in state 1 (ESTABLISHED), as in ss.
		{[]string{"-an", "--state=established"}, "02", inetRows(`$6 == "ESTABLISHED" || ($1 ~ /^raw/ && $6 == "1")`)},
		{[]string{"-an", "--filter", "state listening or state closed"}, "02",
			inetRows(`$6 == "LISTEN" || ($1 ~ /^(udp|raw)/ && ($6 == "" || $6 == "7"))`)},
		{[]string{"-an", "--filter", "exclude established"}, "02", inetRows(`$6 != "ESTABLISHED" && !($1 ~ /^raw/ && $6 == "1")`)},
		// IPv4 prefixes match IPv4-mapped addresses (tcp6 127.0.0.1:9090).
		{[]string{"-an", "--filter", "src 127.0.0.1"}, "02", inetRows(`$4 ~ /^127\.0\.0\.1:/`)},
		{[]string{"-an", "--filter", "dst 127.0.0.0/8:8080"}, "02", inetRows(`$5 ~ /^127\.[0-9.]*:8080$/`)},
		{[]string{"-an", "--filter", "dst ::1"}, "02", inetRows(`$5 ~ /^::1:[0-9]+$/`)},
		{[]string{"-an", "--filter", "dport >= :40000"}, "02", inetRows(`{n = split($5, a, ":")} a[n] != "*" && a[n] + 0 >= 40000`)},
		{[]string{"-an", "--filter", "dport < :40000 and not dport = :0"}, "02",
			inetRows(`{n = split($5, a, ":")} a[n] != "*" && a[n] + 0 < 40000`)},
		{[]string{"-an", "--filter", "( sport = :8080 or dport = :8080 ) and not state established"}, "02",
			inetRows(`($4 ~ /:8080$/ || $5 ~ /:8080$/) && $6 != "ESTABLISHED"`)},
		{[]string{"-an", "--filter", "sport = :8080 or sport = :7002 and state established"}, "02",
			inetRows(`($4 ~ /:8080$/ || $4 ~ /:7002$/) && $6 == "ESTABLISHED"`)},
		{[]string{"-an", "--filter", "sport = :http-alt"}, "02", inetRows(`$4 ~ /:8080$/`)},
		{[]string{"-4", "-n", "--filter", "sport > :40000"}, "09", inetRows(`{n = split($4, a, ":")} a[n] + 0 > 40000`)},
		{[]string{"-a", "--filter", "dst 127.0.0.1"}, "01", inetRows(`$5 ~ /^localhost:/ && $1 !~ /6$/ || $1 == "tcp6" && $5 ~ /^127\.0\.0\.1:/`)},
		// Owners (a PID or a program) and users.
		{[]string{"-anee", "--process=nginx"}, "07", inetRows(`$NF == 56518 || $NF == 56522`)},
		{[]string{"-anee", "--process=100"}, "07", inetRows(`$NF == 56518 || $NF == 56522`)},
		{[]string{"-anee", "--process=sshd"}, "07", inetRows(`$NF == 56517`)},
		{[]string{"-anee", "--user=root"}, "07", inetRows(`$(NF-1) == 0`)},
		{[]string{"-anee", "--user=1000"}, "07", inetRows(`0`)},
		// Unix sockets: left out when a filter is given, listed unfiltered with -x.
		{[]string{"-xa", "--filter", "sport = :1"}, "12", `cat`},
		{[]string{"-A", "inet,unix", "-n", "--filter", "sport = :5353"}, "21",
			`awk '/^Active UNIX/ {unix = 1} unix || NR <= 2 || $4 ~ /:5353$/'`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			want := pipeline(t, tt.capture, tt.script)
			got, stderr, exit := runFixture(t, tt.args...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if stderr != "" || exit != 0 {
				t.Errorf("stderr %q, exit %d", stderr, exit)
			}
		})
	}
}

func TestBadExtensions(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-tn", "--filter", "sport = :80 foo"}, "netstat: --filter: unexpected 'foo' at offset 12\n"},
		{[]string{"-tn", "--filter", "dst 1.2.3"}, "netstat: --filter: bad address '1.2.3' at offset 4\n"},
		{[]string{"-tn", "--filter", "sport = :nosuchservice"}, "netstat: --filter: bad port ':nosuchservice' at offset 8\n"},
		{[]string{"-tn", "--filter", "state established and"}, "netstat: --filter: unexpected end of expression at offset 21\n"},
		{[]string{"-tn", "--state=established,estab,tcb"}, "netstat: --state: unknown state 'tcb' (want a TCP state such as established, time-wait, LISTEN or SYN_RCVD, or all, connected, synchronized, bucket, big)\n"},
		{[]string{"-tn", "--count=state,port"}, "netstat: --count: unknown key 'port' (want state, proto, laddr, lport, raddr, rport, program, pid, user)\n"},
		{[]string{"-tn", "--top=5"}, "netstat: --top: only with --count\n"},
		{[]string{"-tn", "--process=a/b"}, "netstat: --process: want a program name or a PID, not 'a/b'\n"},
		{[]string{"-tn", "--user=99999999999"}, "netstat: --user: uid '99999999999' out of range\n"},
		{[]string{"-r", "--filter", "("}, "netstat: --filter: unexpected end of expression at offset 1\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, exit := runFixture(t, tt.args...)
			if stdout != "" || exit != 3 {
				t.Errorf("stdout %q, exit %d; want nothing and 3", stdout, exit)
			}
			if diff := cmp.Diff(tt.want, stderr); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}

// fakeSelector records what the listing asks the kernel to select.
type fakeSelector struct {
	netstat.SocketSource
	got map[netstat.Proto][2]string
}

func (f *fakeSelector) SelectInKernel(proto netstat.Proto, states uint32, bytecode []byte) {
	if f.got == nil {
		f.got = map[netstat.Proto][2]string{}
	}
	f.got[proto] = [2]string{strings.Join(analysis.StateSet(states).Names(), ","), string(bytecode)}
}

func TestKernelSelection(t *testing.T) {
	bc := func(c sockdiag.Cond) string {
		b, err := sockdiag.Bytecode(c)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	http := sockdiag.CondPort{Op: sockdiag.PortEQ, Port: 80}
	listening := sockdiag.CondPort{Dst: true, Op: sockdiag.PortEQ, Port: 0}
	tests := []struct {
		args []string
		want map[netstat.Proto][2]string // nil: the kernel is not asked
	}{
		{[]string{"-tn"}, nil},
		{[]string{"-tn", "--count=state"}, nil},
		{[]string{"-tn", "--process=nginx"}, nil},
		{[]string{"-tn", "--filter", "sport = :80"}, map[netstat.Proto][2]string{
			netstat.TCP: {"", bc(http)}, netstat.UDP: {"", bc(http)}, netstat.UDPLite: {"", bc(http)}, netstat.RAW: {"", bc(http)},
		}},
		{[]string{"-tn", "--state=time-wait", "--filter", "dport = :80 or state established"}, map[netstat.Proto][2]string{
			netstat.TCP:     {"time-wait", bc(sockdiag.CondPort{Dst: true, Op: sockdiag.PortEQ, Port: 80})},
			netstat.UDP:     {"time-wait", bc(sockdiag.CondPort{Dst: true, Op: sockdiag.PortEQ, Port: 80})},
			netstat.UDPLite: {"time-wait", bc(sockdiag.CondPort{Dst: true, Op: sockdiag.PortEQ, Port: 80})},
			// The kernel's remote port of a raw socket is not what /proc shows.
			netstat.RAW: {"time-wait", ""},
		}},
		{[]string{"-tn", "--filter", "state syn-recv state established not dst 10.0.0.0/8:22"}, map[netstat.Proto][2]string{
			netstat.TCP:     {"established,syn-recv", bc(sockdiag.CondNot{X: sockdiag.CondHost{Dst: true, Prefix: netip.MustParsePrefix("10.0.0.0/8"), Port: 22}})},
			netstat.UDP:     {"established,syn-recv", bc(sockdiag.CondNot{X: sockdiag.CondHost{Dst: true, Prefix: netip.MustParsePrefix("10.0.0.0/8"), Port: 22}})},
			netstat.UDPLite: {"established,syn-recv", bc(sockdiag.CondNot{X: sockdiag.CondHost{Dst: true, Prefix: netip.MustParsePrefix("10.0.0.0/8"), Port: 22}})},
			netstat.RAW:     {"established,syn-recv", ""},
		}},
		// -l without -a: TCP rows without a remote port (Socket.Listening), chosen by
		// the kernel; UDP's test (an all-zero remote address) stays in user space.
		{[]string{"-tuln"}, map[netstat.Proto][2]string{netstat.TCP: {"", bc(listening)}}},
		{[]string{"-tlna"}, nil},
		{[]string{"-tln", "--filter", "sport = :80"}, map[netstat.Proto][2]string{
			netstat.TCP: {"", bc(sockdiag.CondAnd{X: http, Y: listening})}, netstat.UDP: {"", bc(http)},
			netstat.UDPLite: {"", bc(http)}, netstat.RAW: {"", bc(http)},
		}},
		{[]string{"-tn", "--filter", "state listening and state established"}, map[netstat.Proto][2]string{
			netstat.TCP: {"", bc(sockdiag.CondConst(false))}, netstat.UDP: {"", bc(sockdiag.CondConst(false))},
			netstat.UDPLite: {"", bc(sockdiag.CondConst(false))}, netstat.RAW: {"", bc(sockdiag.CondConst(false))},
		}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			argv, ext, _ := splitExtensions(append([]string{"netstat"}, tt.args...))
			cfg, _, act := Parse(argv, false)
			if act != nil {
				t.Fatal(act)
			}
			cfg.Ext = ext
			var out, errOut bytes.Buffer
			e := fixtureEnv(listingDir, &out, &errOut)
			fake := &fakeSelector{SocketSource: e.sockets}
			e.sockets = fake
			e.run(context.Background(), cfg)
			if diff := cmp.Diff(tt.want, fake.got); diff != "" {
				t.Errorf("kernel selection (-want +got):\n%s", diff)
			}
		})
	}
}
