package top

import (
	"context"
	"maps"
	"net/netip"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/source/sourcetest"
	"github.com/netstat-go/netstat/netstat"
)

// fakeNames is a resolver with fixed answers.
type fakeNames struct {
	hosts map[netip.Addr]string
	svcs  map[uint16]string
	users map[uint32]string
}

func (f fakeNames) HostName(a netip.Addr) (string, bool) { n, ok := f.hosts[a]; return n, ok }
func (f fakeNames) NetworkName(uint32) (string, bool)    { return "", false }
func (f fakeNames) ServiceName(p uint16, _ string) (string, bool) {
	n, ok := f.svcs[p]
	return n, ok
}
func (f fakeNames) UserName(u uint32) (string, bool)      { n, ok := f.users[u]; return n, ok }
func (f fakeNames) Slow() bool                            { return false }
func (f fakeNames) Resolve(context.Context, []netip.Addr) {}
func (f fakeNames) CachedHostName(a netip.Addr) (string, bool, bool) {
	n, ok := f.hosts[a]
	return n, ok, true
}
func (f fakeNames) HostAddrs(context.Context, string) ([]netip.Addr, bool) { return nil, false }

var testNames = fakeNames{
	hosts: map[netip.Addr]string{netip.MustParseAddr("10.0.0.2"): "db1.example", netip.MustParseAddr("192.0.2.80"): "www.example"},
	svcs:  map[uint16]string{22: "ssh", 443: "https", 5432: "postgresql", 53: "domain"},
	users: map[uint32]string{0: "root", 1000: "alice"},
}

// fakeOwners is an OwnerFinder over a fixed map; it records the inodes asked about.
type fakeOwners struct {
	byInode map[uint64][]netstat.Process
	calls   [][]uint64
}

func (f *fakeOwners) FindOwners(_ context.Context, inodes []uint64) (*source.FoundOwners, error) {
	asked := slices.Sorted(slices.Values(inodes))
	f.calls = append(f.calls, asked)
	found := map[uint64][]netstat.Process{}
	for _, ino := range asked {
		if l, ok := f.byInode[ino]; ok {
			found[ino] = l
		}
	}
	return source.NewFoundOwners(found, true), nil
}

// harness drives a Model the way Bubble Tea would, without a terminal: it runs the
// commands the model returns and feeds their messages back, except timer ticks,
// which it keeps for the test to deliver.
type harness struct {
	t      *testing.T
	m      *Model
	fake   *sourcetest.Fake
	owners *fakeOwners
	ticks  int
	quit   bool
}

func newHarness(t *testing.T, snaps ...*netstat.Snapshot) *harness {
	t.Helper()
	fake := &sourcetest.Fake{Snapshots: snaps}
	// The processes are those of the fixtures' Owners maps.
	fo := &fakeOwners{byInode: map[uint64][]netstat.Process{}}
	for _, s := range snaps {
		maps.Copy(fo.byInode, s.Owners)
	}
	m := New(context.Background(), Config{
		Source: fake, Destroyer: fake, Owners: fo, Names: testNames,
		Interval: time.Nanosecond, ResolveNames: false,
	})
	h := &harness{t: t, m: m, fake: fake, owners: fo}
	h.run(m.Init())
	return h
}

// run executes cmd and everything that follows from it.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tickMsg:
		h.ticks++
	case tea.QuitMsg:
		h.quit = true
	default:
		h.send(msg)
	}
}

// send delivers msg to the model and runs what it returns.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// refresh delivers the refresh timer's tick: the model takes the next snapshot.
func (h *harness) refresh() {
	h.t.Helper()
	h.send(tickMsg{gen: h.m.tickGen})
}

// keys types each key in turn ("enter", "esc", "space" or one character).
func (h *harness) keys(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyPress(k))
	}
}

func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// rowsShown returns the keys of the socket lines of the table, in order.
func (h *harness) rowsShown() []string {
	var out []string
	for _, ln := range h.m.lines {
		if ln >= 0 {
			r := h.m.rows.at(int(ln))
			out = append(out, markText[r.mark()]+r.protoText()+" "+r.localAP().String()+" "+r.remoteAP().String())
		}
	}
	return out
}

// Fixture snapshots.

var t0 = time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC)

func tcp(local, remote string, st netstat.TCPState, inode uint64) netstat.Socket {
	l, r := netip.MustParseAddrPort(local), netip.MustParseAddrPort(remote)
	fam := netstat.IPv4
	if l.Addr().Is6() {
		fam = netstat.IPv6
	}
	return netstat.Socket{Proto: netstat.TCP, Family: fam, Local: l, Remote: r, State: st, Inode: inode, Cookie: inode * 7}
}

func udp(local, remote string, inode uint64) netstat.Socket {
	s := tcp(local, remote, 7, inode)
	s.Proto = netstat.UDP
	return s
}

func withInfo(s netstat.Socket, acked, received uint64, rtt time.Duration) netstat.Socket {
	s.Info = &netstat.TCPInfo{BytesAcked: acked, BytesReceived: received, RTT: rtt, RTTVar: rtt / 4,
		SndMSS: 1448, RcvMSS: 536, SndCwnd: 10, BytesSent: acked, SegsOut: 10, SegsIn: 12}
	s.Congestion = "cubic"
	return s
}

var owners = map[uint64][]netstat.Process{
	100: {{PID: 612, Name: "sshd", Cmdline: []string{"sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"}, UID: 0}},
	101: {{PID: 4242, Name: "sshd", Cmdline: []string{"sshd: alice [priv]"}, UID: 0}, {PID: 4250, Name: "sshd", Cmdline: []string{"sshd: alice@pts/0"}, UID: 1000}},
	102: {{PID: 3001, Name: "curl", Cmdline: []string{"curl", "-sO", "https://www.example/big.iso"}, UID: 1000}},
	103: {{PID: 777, Name: "evil\x1b]0;pwned\x07\x1b[2J", Cmdline: []string{"evil\x1b[31m", "--x"}, UID: 1000}},
	104: {{PID: 880, Name: "postgres", Cmdline: []string{"/usr/lib/postgresql/17/bin/postgres", "-D", "/var/lib/postgresql"}, UID: 105}},
	105: {{PID: 640, Name: "systemd-resolve", UID: 990}},
}

// snapA is the first refresh; snapB a second later: one connection closed, one new,
// one changed state, bytes moved.
func snapA() *netstat.Snapshot {
	return &netstat.Snapshot{Taken: t0, Owners: owners, Inet: []netstat.Socket{
		tcp("0.0.0.0:22", "0.0.0.0:0", netstat.Listen, 100),
		withInfo(tcp("10.0.0.1:22", "10.0.0.9:50122", netstat.Established, 101), 1_000_000, 20_000, 1200*time.Microsecond),
		withInfo(tcp("10.0.0.1:41000", "192.0.2.80:443", netstat.Established, 102), 500, 10_000_000, 24*time.Millisecond),
		withInfo(tcp("10.0.0.1:41002", "10.0.0.2:5432", netstat.Established, 104), 9_000, 9_000, 300*time.Microsecond),
		withInfo(tcp("10.0.0.1:6000", "10.0.0.7:6001", netstat.Established, 103), 0, 0, time.Millisecond),
		tcp("[::]:5432", "[::]:0", netstat.Listen, 104),
		udp("127.0.0.53:53", "0.0.0.0:0", 105),
	}}
}

func snapB() *netstat.Snapshot {
	return &netstat.Snapshot{Taken: t0.Add(time.Second), Owners: owners, Inet: []netstat.Socket{
		tcp("0.0.0.0:22", "0.0.0.0:0", netstat.Listen, 100),
		withInfo(tcp("10.0.0.1:22", "10.0.0.9:50122", netstat.Established, 101), 1_004_096, 20_512, 1100*time.Microsecond),
		withInfo(tcp("10.0.0.1:41000", "192.0.2.80:443", netstat.Established, 102), 500, 12_000_000, 25*time.Millisecond),
		withInfo(tcp("10.0.0.1:41002", "10.0.0.2:5432", netstat.CloseWait, 104), 9_000, 9_001, 300*time.Microsecond),
		tcp("[::]:5432", "[::]:0", netstat.Listen, 104),
		udp("127.0.0.53:53", "0.0.0.0:0", 105),
		withInfo(tcp("10.0.0.1:41010", "10.0.0.2:5432", netstat.SynSent, 0), 0, 0, 0),
	}}
}

// snapC is snapB again a second later; snapD one more.
func snapC() *netstat.Snapshot { s := snapB(); s.Taken = t0.Add(2 * time.Second); return s }
func snapD() *netstat.Snapshot { s := snapB(); s.Taken = t0.Add(3 * time.Second); return s }

func keyOf(local, remote string) netstat.SocketKey {
	s := tcp(local, remote, 0, 0)
	return s.Key()
}
