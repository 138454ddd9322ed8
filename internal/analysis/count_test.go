package analysis

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/netstat"
)

func TestParseKeys(t *testing.T) {
	keys, err := ParseKeys([]string{"state", "proto", "laddr", "lport", "raddr", "rport", "program", "pid", "user"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Key{KeyState, KeyProto, KeyLocalAddr, KeyLocalPort, KeyRemoteAddr, KeyRemotePort, KeyProgram, KeyPID, KeyUser}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	for _, k := range keys {
		if k.String() == "" {
			t.Errorf("key %d has no name", k)
		}
	}
	if NeedsOwners([]Key{KeyState, KeyRemoteAddr}) || !NeedsOwners([]Key{KeyState, KeyPID}) {
		t.Error("NeedsOwners is wrong")
	}
	for _, bad := range []string{"State", "", "port", "uid"} {
		_, err := ParseKeys([]string{"state", bad})
		var ke *KeyError
		if !errors.As(err, &ke) || ke.Name != bad {
			t.Errorf("ParseKeys(%q): err = %v, want a KeyError", bad, err)
		}
	}
	_, err = ParseKeys([]string{"foo"})
	want2 := "unknown key 'foo' (want state, proto, laddr, lport, raddr, rport, program, pid, user)"
	if err == nil || err.Error() != want2 {
		t.Errorf("err = %v, want %s", err, want2)
	}
}

// fakeNames is a resolver with a few names.
type fakeNames struct{}

func (fakeNames) HostName(a netip.Addr) (string, bool) {
	switch a.String() {
	case "127.0.0.1", "::1":
		return "localhost", true
	case "::ffff:127.0.0.2":
		return "mapped-two", true
	}
	return "", false
}

func (fakeNames) NetworkName(n uint32) (string, bool) {
	return "", false
}

func (fakeNames) ServiceName(port uint16, proto string) (string, bool) {
	switch {
	case port == 80 && proto == "tcp":
		return "http", true
	case port == 53 && proto == "udp":
		return "domain", true
	case port == 1 && proto == "raw":
		return "icmp", true
	}
	return "", false
}

func (fakeNames) UserName(uid uint32) (string, bool) {
	if uid == 0 {
		return "root", true
	}
	return "", false
}

func TestKeyText(t *testing.T) {
	all := []Key{KeyState, KeyProto, KeyLocalAddr, KeyLocalPort, KeyRemoteAddr, KeyRemotePort, KeyProgram, KeyPID, KeyUser}
	// Inode 8's name does not fit net-tools' 19-byte column ("99/" + 16 bytes): the
	// count shows it cut, as `awk '{print $7}' | cut -d/ -f2` over netstat -p does.
	owners := map[uint64]netstat.Process{7: {PID: 1234, Name: "nginx"}, 8: {PID: 99, Name: "a-very-long-program-name"}}
	program := func(inode uint64) *netstat.Process {
		if p, ok := owners[inode]; ok {
			return &p
		}
		return nil
	}
	s := func(proto netstat.Proto, local, remote string, state netstat.TCPState, uid uint32, inode uint64) *netstat.Socket {
		x := sock(proto, local, remote, state)
		x.UID, x.Inode = uid, inode
		return x
	}
	tests := []struct {
		name    string
		numeric bool
		s       *netstat.Socket
		want    []string
	}{
		{"tcp names", false, s(netstat.TCP, "127.0.0.1:80", "10.0.0.2:40000", netstat.Established, 0, 7),
			[]string{"ESTABLISHED", "tcp", "localhost", "http", "10.0.0.2", "40000", "nginx", "1234", "root"}},
		{"tcp numeric", true, s(netstat.TCP, "127.0.0.1:80", "10.0.0.2:40000", netstat.Established, 0, 7),
			[]string{"ESTABLISHED", "tcp", "127.0.0.1", "80", "10.0.0.2", "40000", "nginx", "1234", "0"}},
		{"listener", true, s(netstat.TCP, "0.0.0.0:22", "0.0.0.0:0", netstat.Listen, 1000, 8),
			[]string{"LISTEN", "tcp", "0.0.0.0", "22", "0.0.0.0", "*", "a-very-long-prog", "99", "1000"}},
		{"mapped demangled", true, s(netstat.TCP, "[::ffff:127.0.0.1]:8080", "[::ffff:127.0.0.2]:5", netstat.TimeWait, 0, 0),
			[]string{"TIME_WAIT", "tcp6", "127.0.0.1", "8080", "127.0.0.2", "5", "-", "-", "0"}},
		{"mapped names", false, s(netstat.TCP, "[::ffff:127.0.0.1]:8080", "[::ffff:127.0.0.2]:5", netstat.TimeWait, 0, 0),
			[]string{"TIME_WAIT", "tcp6", "127.0.0.1", "8080", "mapped-two", "5", "-", "-", "root"}},
		{"ipv6 wildcard", false, s(netstat.TCP, "[::]:443", "[::]:0", netstat.Listen, 4294967294, 0),
			[]string{"LISTEN", "tcp6", "[::]", "443", "[::]", "*", "-", "-", "-2"}},
		{"ipv6 numeric", true, s(netstat.TCP, "[::]:443", "[2001:db8::1]:9", netstat.SynRecv, 0, 0),
			[]string{"SYN_RECV", "tcp6", "::", "443", "2001:db8::1", "9", "-", "-", "0"}},
		{"udp", false, s(netstat.UDP, "0.0.0.0:53", "0.0.0.0:0", netstat.Close, 0, 0),
			[]string{"CLOSE", "udp", "0.0.0.0", "domain", "0.0.0.0", "*", "-", "-", "root"}},
		{"udplite6", true, s(netstat.UDPLite, "[::1]:7000", "[::]:0", netstat.Close, 0, 0),
			[]string{"CLOSE", "udpl6", "::1", "7000", "::", "*", "-", "-", "0"}},
		{"raw", false, s(netstat.RAW, "0.0.0.0:1", "0.0.0.0:0", netstat.Close, 0, 0),
			[]string{"CLOSE", "raw", "0.0.0.0", "icmp", "0.0.0.0", "*", "-", "-", "root"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kt := KeyText{NumericHosts: tt.numeric, NumericPorts: tt.numeric, NumericUsers: tt.numeric, Names: fakeNames{}, Program: program}
			got := kt.Append(nil, all, tt.s)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGroups(t *testing.T) {
	var c Counter
	for _, line := range [][]string{
		{"ESTABLISHED", "b"}, {"TIME_WAIT", "a"}, {"ESTABLISHED", "b"}, {"ESTABLISHED", "a"},
		{"ESTABLISHED", "B"}, {"ESTABLISHED", "b"}, {"TIME_WAIT", "a"},
	} {
		c.Add(line)
	}
	want := []Group{
		{[]string{"ESTABLISHED", "b"}, 3},
		{[]string{"TIME_WAIT", "a"}, 2},
		{[]string{"ESTABLISHED", "a"}, 1},
		{[]string{"ESTABLISHED", "B"}, 1},
	}
	if diff := cmp.Diff(want, c.Groups(0)); diff != "" {
		t.Errorf("Groups(0) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:3], c.Groups(3)); diff != "" {
		t.Errorf("Groups(3) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, c.Groups(10)); diff != "" {
		t.Errorf("Groups(10) (-want +got):\n%s", diff)
	}
	if c.Total() != 7 {
		t.Errorf("Total = %d, want 7", c.Total())
	}
	text := "      3 ESTABLISHED b\n      2 TIME_WAIT a\n      1 ESTABLISHED a\n      1 ESTABLISHED B\n"
	if diff := cmp.Diff(text, string(AppendGroups(nil, c.Groups(0)))); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
	if got := string(AppendGroups(nil, []Group{{[]string{"x"}, 12345678}})); got != "12345678 x\n" {
		t.Errorf("wide count: %q", got)
	}
	var empty Counter
	if g := empty.Groups(0); len(g) != 0 {
		t.Errorf("empty counter: %v", g)
	}
}

// TestGroupsLikeUniq compares the counts of random lines with what the real
// `LC_ALL=C sort | uniq -c | sort -rn | head -n N` prints for the same lines.
func TestGroupsLikeUniq(t *testing.T) {
	nstest.RequireTools(t, "sh", "sort", "uniq", "head")
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"127.0.0.1", "127.0.0.10", "127.0.0.2", "10.0.0.1", "::1", "ESTABLISHED", "TIME_WAIT", "a", "B", "b", "-", "80", "8080", "tcp6"}
	for round := 0; round < 20; round++ {
		var c Counter
		var in strings.Builder
		nkeys := 1 + r.IntN(3)
		for i := 0; i < 1+r.IntN(300); i++ {
			fields := make([]string, nkeys)
			for j := range fields {
				fields[j] = words[r.IntN(len(words))]
			}
			c.Add(fields)
			in.WriteString(strings.Join(fields, " ") + "\n")
		}
		top := r.IntN(8)
		pipeline := "LC_ALL=C sort | LC_ALL=C uniq -c | LC_ALL=C sort -rn"
		if top > 0 {
			pipeline += " | head -n " + strconv.Itoa(top)
		}
		cmd := exec.Command("sh", "-c", pipeline)
		cmd.Stdin = strings.NewReader(in.String())
		want, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		got := AppendGroups(nil, c.Groups(top))
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Fatalf("round %d, %q (-want +got):\n%s", round, pipeline, diff)
		}
	}
}

func TestProcess(t *testing.T) {
	tests := []struct {
		name  string
		sel   string
		owner *netstat.Process
		want  bool
	}{
		{"name", "nginx", &netstat.Process{PID: 1234, Name: "nginx"}, true},
		{"longer name", "nginx", &netstat.Process{PID: 1234, Name: "nginx-worker"}, false},
		{"prefix", "ngin", &netstat.Process{PID: 1234, Name: "nginx"}, false},
		{"pid", "1234", &netstat.Process{PID: 1234, Name: "nginx"}, true},
		{"other pid", "123", &netstat.Process{PID: 1234, Name: "nginx"}, false},
		{"pid 0", "0", &netstat.Process{PID: 1234, Name: "nginx"}, false},
		{"no owner", "nginx", nil, false},
		{"kernel thread", "nginx", &netstat.Process{PID: 5}, false},
		// net-tools cuts "PID/program" to 19 bytes: a cut name matches names it begins.
		{"cut, full name", "a-very-long-program-name", &netstat.Process{PID: 12345, Name: "a-very-long-program-name"}, true},
		{"cut, as shown", "a-very-long-p", &netstat.Process{PID: 12345, Name: "a-very-long-program-name"}, true},
		{"cut, other name", "a-very-long-q", &netstat.Process{PID: 12345, Name: "a-very-long-program-name"}, false},
		{"cut, longer name", "a-very-long-program-name-2", &netstat.Process{PID: 12345, Name: "a-very-long-program-name"}, true},
		{"cut, shorter than shown", "a-very-long", &netstat.Process{PID: 12345, Name: "a-very-long-program-name"}, false},
		{"not cut", "a-very-long-program-name", &netstat.Process{PID: 1, Name: "a-very-long-prog"}, false},
		// Exactly 19 bytes: nothing was cut, so the name is whole.
		{"fits exactly", "a-very-long-program", &netstat.Process{PID: 12345, Name: "a-very-long-p"}, false},
		// The cut falls inside "é" (bytes 0xc3 0xa9): the column shows its first byte.
		{"cut mid-rune", "abcdefghijklmnoé", &netstat.Process{PID: 12, Name: "abcdefghijklmnoé"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProcess(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Match(tt.owner); got != tt.want {
				t.Errorf("%q Match(%+v) = %v, want %v", tt.sel, tt.owner, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "a/b", "99999999999"} {
		if _, err := ParseProcess(bad); err == nil {
			t.Errorf("ParseProcess(%q) succeeded", bad)
		}
	}
}

func TestUser(t *testing.T) {
	tests := []struct {
		sel  string
		uid  uint32
		want bool
	}{
		{"root", 0, true},
		{"root", 1000, false},
		{"0", 0, true},
		{"1000", 1000, true},
		{"1000", 100, false},
		{"-2", 4294967294, true},
		{"nobody", 65534, false}, // no such name in fakeNames
	}
	for _, tt := range tests {
		t.Run(tt.sel, func(t *testing.T) {
			u, err := ParseUser(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			if got := u.Match(tt.uid, fakeNames{}); got != tt.want {
				t.Errorf("Match(%d) = %v, want %v", tt.uid, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "4294967296", "-2147483649", "99999999999999999999"} {
		if _, err := ParseUser(bad); err == nil {
			t.Errorf("ParseUser(%q) succeeded", bad)
		}
	}
}
